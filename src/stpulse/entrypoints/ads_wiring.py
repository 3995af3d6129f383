"""The Performance API client for this process, and the embedded Performance sandbox beside the Seller one.

In embedded mode with the default URL the client talks in-process to the sandbox that the embedded Seller sandbox
feeds (the same worlds), so the demo's ads agree with its accruals; the web app also mounts it under
/sandbox/performance.
"""

from __future__ import annotations

from typing import Any

import httpx

from stpulse.adapters.ozon.performance import PerformanceApiFactory, PerformanceSettings
from stpulse.entrypoints.settings import Settings

SANDBOX_PATH = "/sandbox/performance"
# Ad accounts of the embedded sandbox: Client ID → (Client Secret, seller Client-Id, organisation).
EMBEDDED_AD_ACCOUNTS = {
    "100-001@advertising.performance.ozon.ru": ("sandbox-secret-1", "100001", "ИП Демо"),
    "100-002@advertising.performance.ozon.ru": ("sandbox-secret-2", "100002", "ООО «Демо»"),
    "100-003@advertising.performance.ozon.ru": ("sandbox-secret-3", "100002", "ООО «Демо»"),
    "100-004@advertising.performance.ozon.ru": ("sandbox-secret-4", "100002", "ООО «Демо Трейд»"),
}
_state: Any = None


def embedded_performance_state() -> Any:
    global _state
    if _state is None:
        from stpulse.adapters.sandbox.ozon.performance.config import AdAccountConfig, PerformanceConfig
        from stpulse.adapters.sandbox.ozon.performance.state import PerformanceState
        from stpulse.entrypoints.ozon_wiring import embedded_sandbox_state

        accounts = [AdAccountConfig(client_id=c, client_secret=s, seller=seller, organisation=org)
                    for c, (s, seller, org) in EMBEDDED_AD_ACCOUNTS.items()]
        _state = PerformanceState(PerformanceConfig(accounts=accounts), embedded_sandbox_state())
    return _state


def performance_sandbox_router(path: str = SANDBOX_PATH) -> Any:
    from stpulse.adapters.sandbox.ozon.performance.http import performance_router

    return performance_router(embedded_performance_state(), path=path)


def uses_embedded_performance(settings: Settings) -> bool:
    local = settings.ozon_performance_url.rstrip("/") == settings.base_url.rstrip("/") + SANDBOX_PATH
    return settings.embedded and settings.sandbox_enabled and local


def performance_factory(settings: Settings) -> PerformanceApiFactory:
    if uses_embedded_performance(settings):
        from litestar import Litestar

        app = Litestar(route_handlers=[performance_sandbox_router(SANDBOX_PATH)], openapi_config=None)
        transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
        return PerformanceApiFactory(PerformanceSettings(base_url=settings.ozon_performance_url,
                                                         requests_per_second=1000.0, first_poll=0.05),
                                     transport=transport)
    slots = None
    if settings.redis_url:  # several worker processes hold Ozon's report limits together
        from stpulse.adapters.ozon.performance_slots_redis import RedisReportSlots

        slots = RedisReportSlots(settings.redis_url)
    return PerformanceApiFactory(PerformanceSettings(base_url=settings.ozon_performance_url,
                                                     timeout=settings.ozon_timeout), slots=slots)
