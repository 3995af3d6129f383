"""The one object that carries every port: it satisfies each context's deps protocol structurally.

Use cases never see this class: each context annotates what it needs (`application/<context>/deps.py`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from stpulse.adapters.mail.templates import JinjaMailTemplates
from stpulse.application.accounts.ports import AccountsUnitOfWork
from stpulse.application.ads.deps import AdsConfig, AdsUnitOfWork
from stpulse.application.ads.ports import OzonPerformanceApiFactory
from stpulse.application.alerts.deps import AlertsUnitOfWork
from stpulse.application.billing.deps import BillingUnitOfWork
from stpulse.application.billing.ports import InvoiceRenderer, PaymentGateway
from stpulse.application.billing.records import BillingConfig
from stpulse.application.cash.deps import CashUnitOfWork
from stpulse.application.costs.deps import CostsUnitOfWork
from stpulse.application.kernel.deps import AppConfig
from stpulse.application.kernel.ports import (
    Clock,
    FileStorage,
    JobQueue,
    KernelUnitOfWork,
    Mailer,
    MailTemplates,
    MarkdownRenderer,
    PasswordHasher,
    PasswordStrength,
    SecretBox,
    VirusScanner,
)
from stpulse.application.ledger.ports import LedgerUnitOfWork
from stpulse.application.ozon.deps import OzonUnitOfWork, SyncConfig
from stpulse.application.ozon.ports import OzonSellerApiFactory
from stpulse.application.planning.deps import PlanningUnitOfWork
from stpulse.application.reports.api_hits import ReportHits
from stpulse.application.reports.cache import TABLES, ReportCache
from stpulse.application.reports.deps import ReportsUnitOfWork


class UnitOfWork(AccountsUnitOfWork, OzonUnitOfWork, BillingUnitOfWork, CostsUnitOfWork, PlanningUnitOfWork,
                 AlertsUnitOfWork, ReportsUnitOfWork, LedgerUnitOfWork, AdsUnitOfWork, KernelUnitOfWork, CashUnitOfWork,
                 Protocol):
    """Every context's unit of work at once: what the database adapter (and the test fake) provides."""


@dataclass(frozen=True, kw_only=True)
class Deps:
    uow: Callable[[], UnitOfWork]
    clock: Clock
    hasher: PasswordHasher
    mailer: Mailer
    storage: FileStorage
    secrets: SecretBox
    markdown: MarkdownRenderer
    jobs: JobQueue
    config: AppConfig
    payments: PaymentGateway | None = None  # YooKassa (or the sandbox); None: card payments are off
    invoice_renderer: InvoiceRenderer | None = None
    billing: BillingConfig = BillingConfig()
    ozon: OzonSellerApiFactory | None = None  # the Seller API (or the sandbox); None: shops cannot sync
    sync: SyncConfig = SyncConfig()
    password_strength: PasswordStrength | None = None  # None: only the length and common-list checks
    # finished report tables: this process's cache, then the store every process shares (Redis in production)
    report_cache: ReportCache = field(default_factory=lambda: ReportCache(TABLES))
    scanner: VirusScanner | None = None  # ClamAV; None: uploads are not scanned (embedded mode without clamd)
    mail_templates: MailTemplates = field(default_factory=JinjaMailTemplates)  # notices and alerts (issue 16)
    performance: OzonPerformanceApiFactory | None = None  # the Performance API (or the sandbox); None: no ads import
    ads: AdsConfig = AdsConfig()
    report_hits: ReportHits | None = None  # the JSON API's repeated reports checked by one statement (PostgreSQL)
