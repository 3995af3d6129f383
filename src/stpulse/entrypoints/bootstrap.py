"""The composition root: adapters are wired into use cases here, once, for web, worker, CLI and tests."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from stpulse.adapters.billing.pdf.invoice import PdfInvoiceRenderer
from stpulse.adapters.billing.yookassa_gateway import YooKassaGateway
from stpulse.adapters.cache.redis_tables import RedisTableStore
from stpulse.adapters.clock import FrozenClock, SystemClock
from stpulse.adapters.db.reports.report_hits import DbReportHits
from stpulse.adapters.db.uow import Database
from stpulse.adapters.mail.senders import FolderMailer, SmtpMailer
from stpulse.adapters.queue.dramatiq_queue import DramatiqJobQueue
from stpulse.adapters.security.clamav import ClamdScanner
from stpulse.adapters.security.password_strength import ZxcvbnStrength
from stpulse.adapters.security.passwords import Argon2Hasher
from stpulse.adapters.security.secretbox import FernetSecretBox
from stpulse.adapters.storage.local import LocalFileStorage
from stpulse.adapters.text.markdown import SafeMarkdown
from stpulse.application.billing.records import BillingConfig
from stpulse.application.kernel.deps import AppConfig
from stpulse.application.kernel.ports import Mailer
from stpulse.application.ozon.deps import SyncConfig
from stpulse.application.reports.cache import TABLES, ReportCache
from stpulse.entrypoints.deps import Deps, UnitOfWork
from stpulse.entrypoints.settings import Settings

if TYPE_CHECKING:
    import dramatiq


@dataclass
class Container:
    settings: Settings
    deps: Deps
    database: Database | None
    broker: dramatiq.Broker | None = None  # the broker the jobs go to, with every actor declared on it

    async def close(self) -> None:
        if self.deps.ozon is not None:
            await self.deps.ozon.aclose()
        if self.deps.performance is not None and hasattr(self.deps.performance, "aclose"):
            await self.deps.performance.aclose()
        if isinstance(self.deps.report_cache.shared, RedisTableStore):
            await self.deps.report_cache.shared.aclose()
        if self.database is not None:
            await self.database.dispose()


def _mailer(settings: Settings) -> Mailer:
    if settings.smtp_host:
        return SmtpMailer(settings.smtp_host, settings.smtp_port, settings.smtp_user, settings.smtp_password,
                          settings.smtp_starttls, settings.mail_from)
    return FolderMailer(settings.mail_dir, settings.mail_from)


def app_config(settings: Settings) -> AppConfig:
    return AppConfig(base_url=settings.base_url.rstrip("/"), upload_max_bytes=settings.upload_max_bytes,
                     login_max_failures=settings.login_max_failures,
                     login_window_minutes=settings.login_window_minutes, session_days=settings.session_days,
                     login_ip_max_failures=settings.login_ip_max_failures,
                     reset_max_per_address=settings.reset_max_per_address,
                     reset_max_per_ip=settings.reset_max_per_ip, reset_window_minutes=settings.reset_window_minutes,
                     documents_quota_bytes=settings.documents_quota_bytes)


def billing_parts(settings: Settings) -> dict[str, Any]:
    return {
        "payments": YooKassaGateway(shop_id=settings.yookassa_shop_id, secret_key=settings.yookassa_secret_key,
                                    api_url=settings.yookassa_api_url),
        "invoice_renderer": PdfInvoiceRenderer(),
        "billing": BillingConfig(trial_days=settings.billing_trial_days, grace_days=settings.billing_grace_days,
                                 vat_rate=settings.billing_vat_rate, webhook_networks=settings.webhook_networks),
    }


def bootstrap(settings: Settings | None = None, **overrides: Any) -> Container:
    """Build every dependency from settings; tests replace any port by keyword (uow=..., clock=...)."""
    settings = settings or Settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    database = None if "uow" in overrides else Database(settings.sqlalchemy_url, pool_size=settings.db_pool_size)
    uow: Callable[[], UnitOfWork] | None = database.uow if database else None
    broker = None
    if "jobs" not in overrides:
        from stpulse.entrypoints.worker.broker import wire_broker

        broker = wire_broker(settings)
        overrides["jobs"] = DramatiqJobQueue(broker)
    parts: dict[str, Any] = {
        "uow": uow,
        "clock": FrozenClock(settings.frozen_now) if settings.frozen_now else SystemClock(),
        "hasher": Argon2Hasher(),
        "password_strength": ZxcvbnStrength(),
        "scanner": ClamdScanner(settings.clamd_address) if settings.clamd_address else None,
        "mailer": _mailer(settings),
        "storage": LocalFileStorage(settings.files_dir),
        "secrets": FernetSecretBox(settings.fernet_key),
        "markdown": SafeMarkdown(),
        "config": app_config(settings),
        **billing_parts(settings),
        "sync": SyncConfig(backfill_months=settings.sync_backfill_months, recent_days=settings.sync_recent_days,
                           stale_seconds=settings.sync_stale_seconds),
    }
    if settings.redis_url:  # production: the tables every web process shares; embedded: this process's only
        parts["report_cache"] = ReportCache(TABLES, RedisTableStore(settings.redis_url))
    if "ozon" not in overrides:
        from stpulse.entrypoints.ozon_wiring import ozon_factory

        parts["ozon"] = ozon_factory(settings)
    if "performance" not in overrides:
        from stpulse.entrypoints.ads_wiring import performance_factory

        parts["performance"] = performance_factory(settings)
    if database is not None and settings.sqlalchemy_url.startswith("postgresql"):
        parts["report_hits"] = DbReportHits(database.engine)
    parts.update(overrides)
    return Container(settings=settings, deps=Deps(**parts), database=database, broker=broker)
