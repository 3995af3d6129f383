"""Router and app factories of the Ozon Seller API sandbox."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from litestar import Litestar, Router
from litestar.datastructures import State
from litestar.di import Provide
from litestar.types import ControllerRouterHandler

from stpulse.adapters.sandbox.ozon.config import SandboxConfig
from stpulse.adapters.sandbox.ozon.http import (
    control,
    finance_accruals,
    finance_reports,
    postings_api,
    products_api,
    returns_api,
    warehouse_api,
)
from stpulse.adapters.sandbox.ozon.http.errors import OzonError, handle_ozon_error, handle_unexpected
from stpulse.adapters.sandbox.ozon.http.state import SandboxState, make_guard, provide_world

STATE_KEY = "ozon_sandbox"
PERFORMANCE_KEY = "ozon_performance"
HANDLERS = (
    finance_accruals.accrual_by_day, finance_accruals.accrual_types, finance_accruals.accrual_postings,
    finance_reports.realization, finance_reports.realization_by_day, finance_reports.cash_flow,
    finance_reports.balance, finance_reports.products_buyout, finance_reports.compensation,
    finance_reports.decompensation,
    postings_api.fbo_list, postings_api.fbs_list, postings_api.retired_list, returns_api.returns_list,
    products_api.product_list, products_api.product_info, products_api.product_prices, products_api.product_stocks,
    warehouse_api.analytics_stocks, warehouse_api.turnover, warehouse_api.cluster_list,
    warehouse_api.supply_order_list, warehouse_api.supply_order_get, warehouse_api.supply_order_bundle,
    control.register_shop, control.set_faults, control.status,
)


def ozon_router(config: SandboxConfig, path: str = "/", state: SandboxState | None = None) -> Router:
    """The Seller API at Ozon's paths under `path`, plus /__sandbox control endpoints.

    Pass your own `state` (SandboxState(config)) to reach the sandbox from outside (ground truth,
    runtime shop registration); Litestar copies routers on registration, so keep the state, not the router.
    """
    state = state or SandboxState(config)
    return Router(
        path,
        route_handlers=list(HANDLERS),
        before_request=make_guard(state),
        dependencies={"sandbox": Provide(lambda: state, sync_to_thread=False),
                      "world": Provide(provide_world, sync_to_thread=False)},
        exception_handlers={OzonError: handle_ozon_error, Exception: handle_unexpected},
        include_in_schema=False,
    )


def create_sandbox_app(config: SandboxConfig, extra_route_handlers: Sequence[ControllerRouterHandler] = ()) -> Litestar:
    """A standalone app: the Ozon sandbox at "/" next to any extra handlers (e.g. a YooKassa imitation)."""
    state = SandboxState(config)
    handlers: list[ControllerRouterHandler] = [ozon_router(config, state=state), *extra_route_handlers]
    values: dict[str, object] = {STATE_KEY: state}
    if config.performance is not None:
        from stpulse.adapters.sandbox.ozon.performance.http import performance_router  # noqa: PLC0415
        from stpulse.adapters.sandbox.ozon.performance.state import PerformanceState  # noqa: PLC0415

        perf = values[PERFORMANCE_KEY] = PerformanceState(config.performance, state)
        handlers.append(performance_router(perf))
    return Litestar(route_handlers=handlers, openapi_config=None, state=State(values))


def create_ozon_sandbox(config: SandboxConfig) -> Litestar:
    return create_sandbox_app(config)


def sandbox_state(app: Litestar) -> SandboxState:
    """The SandboxState behind an app made by create_sandbox_app."""
    return app.state[STATE_KEY]


def performance_state(app: Litestar) -> Any:
    """The PerformanceState behind an app made by create_sandbox_app with `performance` set."""
    return app.state[PERFORMANCE_KEY]
