"""create_app(): the one Litestar application, built from a bootstrapped container."""

from __future__ import annotations

import gc
import hmac
from pathlib import Path

from litestar import Litestar, Request, Response, get
from litestar.config.csrf import CSRFConfig
from litestar.connection import ASGIConnection
from litestar.contrib.jinja import JinjaTemplateEngine
from litestar.exceptions import NotFoundException
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware.base import DefineMiddleware
from litestar.plugins.prometheus import PrometheusConfig, PrometheusController
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig

from stpulse.domain.reports.registry import REPORTS
from stpulse.entrypoints.backups import last_backup_age
from stpulse.entrypoints.bootstrap import Container, bootstrap
from stpulse.entrypoints.logging import configure_logging
from stpulse.entrypoints.settings import Settings
from stpulse.entrypoints.web import system
from stpulse.entrypoints.web.accounts import (
    activity,
    admin,
    auth,
    cabinet,
    documents,
    legal,
    navigation,
    pages,
    team,
)
from stpulse.entrypoints.web.ads.keys import AdKeysController
from stpulse.entrypoints.web.alerts import pages as alerts
from stpulse.entrypoints.web.billing import admin as admin_billing
from stpulse.entrypoints.web.billing import cabinet as billing
from stpulse.entrypoints.web.cash import pages as cash
from stpulse.entrypoints.web.costs import pages as money
from stpulse.entrypoints.web.dashboard import pages as dashboard
from stpulse.entrypoints.web.errors import EXCEPTION_HANDLERS
from stpulse.entrypoints.web.filters import FILTERS
from stpulse.entrypoints.web.ledger import admin as ledger_admin
from stpulse.entrypoints.web.middleware import request_context_middleware
from stpulse.entrypoints.web.ozon import monitoring, shops
from stpulse.entrypoints.web.planning.pages import PlanController
from stpulse.entrypoints.web.planning.supply_params import SupplyParamsController
from stpulse.entrypoints.web.reports import api_v1
from stpulse.entrypoints.web.reports import drill as report_drill
from stpulse.entrypoints.web.reports import pages as reports
from stpulse.entrypoints.web.reports import recon as report_recon
from stpulse.entrypoints.web.reports import settings as report_settings
from stpulse.entrypoints.web.reports.rows import month_choices, page_links
from stpulse.entrypoints.web.sandbox_mount import embedded_sandbox

HERE = Path(__file__).parent


def metrics_guard(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    """Production: /metrics answers the loopback, or a scraper with «Authorization: Bearer STPULSE_METRICS_TOKEN»;
    anyone else gets a plain 404 (the page does not exist for them)."""
    settings: Settings = connection.app.state.container.settings
    if settings.embedded:
        return
    client = connection.client.host if connection.client else ""
    scheme, _sep, token = connection.headers.get("authorization", "").partition(" ")
    by_token = bool(settings.metrics_token) and scheme.lower() == "bearer" and hmac.compare_digest(
        token.strip().encode(), settings.metrics_token.encode())
    if not by_token and client not in ("127.0.0.1", "::1"):
        raise NotFoundException()


class Metrics(PrometheusController):
    path = "/metrics"
    guards = [metrics_guard]  # noqa: RUF012 - Litestar reads it as a class attribute

    @get()
    async def get(self, request: Request) -> Response:  # type: ignore[override]
        """The request metrics, plus the newest backup's age (read from the backup folder at scrape time, so
        every web process answers the same)."""
        base = await PrometheusController.get.fn(self)
        age = last_backup_age(request.app.state.container.settings)
        extra = ("# HELP stpulse_last_backup_age_seconds Seconds since the newest backup archive was written "
                 "(-1: none yet).\n# TYPE stpulse_last_backup_age_seconds gauge\n"
                 f"stpulse_last_backup_age_seconds {-1 if age is None else round(age, 1)}\n")
        return Response(base.content + extra.encode(), status_code=200, headers=dict(base.headers))


def _template_config() -> TemplateConfig:
    def setup(engine: JinjaTemplateEngine) -> None:
        engine.engine.filters.update(FILTERS)
        engine.engine.globals["app_name"] = "STPulse"
        engine.engine.globals["reports"] = REPORTS  # the sidebar lists every registered report
        engine.engine.globals["cabinet_pages"] = navigation.PAGES  # and the cabinet's fixed pages (search finds them)
        engine.engine.globals["page_links"] = page_links  # a long report's pager and its month pickers (reports/rows.py)
        engine.engine.globals["month_choices"] = month_choices

    return TemplateConfig(directory=HERE / "templates", engine=JinjaTemplateEngine, engine_callback=setup)


def create_app(settings: Settings | None = None, container: Container | None = None,
               extra_route_handlers: list | None = None) -> Litestar:
    settings = settings or (container.settings if container else Settings())
    configure_logging(settings.log_level, settings.json_logs)
    container = container or bootstrap(settings)
    prometheus = PrometheusConfig(app_name="stpulse", group_path=True, exclude=["/metrics", "/static"])
    handlers = [
        pages.PagesController, auth.AuthController, auth.InviteController, cabinet.CabinetController,
        team.TeamController, legal.LegalEntityController, documents.DocumentController, admin.AdminController,
        system.health, Metrics,
        reports.ReportController, report_recon.ReconDrillController, report_drill.DrillController,
        report_settings.ReportSettingsController, money.MoneyController, ledger_admin.LedgerAdminController,
        api_v1.ApiV1Controller,
        api_v1.ApiTokenController,
        SupplyParamsController,
        create_static_files_router(path="/static", directories=[HERE / "static"], include_in_schema=False),
        shops.ShopController, AdKeysController, monitoring.MonitoringController, *_sandbox_handlers(settings),
        PlanController, billing.BillingController, billing.yookassa_webhook, admin_billing.AdminBillingController,
        *embedded_sandbox(settings),
        cash.CashController,
        activity.ActivityController, alerts.AlertsController, dashboard.DashboardController,
        *(extra_route_handlers or []),
    ]
    app = Litestar(
        route_handlers=handlers,
        template_config=_template_config(),
        csrf_config=CSRFConfig(secret=settings.secret_key, cookie_secure=settings.secure_cookies, cookie_httponly=True,
                               cookie_samesite="lax", exclude=["/health", "/metrics", "/static", "/sandbox", "/api/", billing.WEBHOOK_PATH]),
        exception_handlers=EXCEPTION_HANDLERS,  # type: ignore[arg-type]
        middleware=[DefineMiddleware(request_context_middleware, hsts=not settings.embedded,
                                     body_max=settings.form_max_bytes, upload_max=settings.upload_body_max,
                                     file_max=settings.upload_max_bytes),
                    prometheus.middleware],
        request_max_body_size=settings.upload_body_max,  # the upper bound; each route's own limit: middleware.py
        on_startup=[_start_embedded_worker, _freeze_startup_heap],
        on_shutdown=[_stop, _unfreeze_heap],
        debug=settings.debug,
        openapi_config=None,
    )
    app.state.container = container
    return app


def _freeze_startup_heap(app: Litestar) -> None:
    """What is alive once the app has started (modules, routes, templates, the container) lives as long as the
    process: `gc.freeze` takes it out of the full collections, which otherwise rescan it while a large report's
    objects are alive and stall that request for hundreds of milliseconds. Modules that libraries import on first
    use are loaded here too (np.unique imports numpy.ma), not in the first report (without .pyc files that is a
    compile of a large module)."""
    import numpy.ma  # noqa: F401

    gc.collect()
    gc.freeze()


def _unfreeze_heap(app: Litestar) -> None:
    gc.unfreeze()


def _start_embedded_worker(app: Litestar) -> None:
    container: Container = app.state.container
    if container.settings.redis_url or not container.settings.embedded_worker:
        return
    from stpulse.entrypoints.worker.runner import start_worker

    app.state.embedded_worker = start_worker(container, threads=2)


async def _stop(app: Litestar) -> None:
    worker = app.state.get("embedded_worker")
    if worker:
        runner, scheduler = worker
        scheduler.stop()
        runner.stop(timeout=5_000)  # a sync in flight resumes from its checkpoint next time
    await app.state.container.deps.report_cache.flushed()  # shared copies written behind requests
    await app.state.container.close()


def _sandbox_handlers(settings: Settings) -> list:
    """The Ozon sandbox under /sandbox/ozon in embedded mode (the same one the in-process client uses)."""
    if not (settings.embedded and settings.sandbox_enabled):
        return []
    from stpulse.entrypoints.ads_wiring import performance_sandbox_router
    from stpulse.entrypoints.ozon_wiring import sandbox_router

    return [sandbox_router(), performance_sandbox_router()]
