"""What the report use cases receive: a read-only unit of work and the time."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from stpulse.application.accounts.ports import AccountRepository, MembershipRepository, UserRepository
from stpulse.application.billing.records import SubscriptionRepository, TariffRepository
from stpulse.application.costs.ports import CostRepository
from stpulse.application.kernel.ports import Clock, Transaction
from stpulse.application.ledger.ports import LedgerRepository, ShopRepository
from stpulse.application.ledger.settlement import SettlementRepository
from stpulse.application.reports.cache import ReportCache
from stpulse.application.reports.facts_ports import ReportFactsRepository
from stpulse.application.reports.ports import ReportDataRepository, ReportSettingsRepository


class ReportsUnitOfWork(Transaction, Protocol):
    @property
    def report_data(self) -> ReportDataRepository: ...
    @property
    def settlement(self) -> SettlementRepository: ...
    @property
    def shops(self) -> ShopRepository: ...
    @property
    def ledger(self) -> LedgerRepository: ...
    @property
    def cost_prices(self) -> CostRepository: ...
    @property
    def accounts(self) -> AccountRepository: ...
    @property
    def memberships(self) -> MembershipRepository: ...
    @property
    def users(self) -> UserRepository: ...
    @property
    def subscriptions(self) -> SubscriptionRepository: ...  # the tariff policy: history depth, SKUs, export
    @property
    def tariffs(self) -> TariffRepository: ...
    @property
    def report_facts(self) -> ReportFactsRepository: ...  # Операционка, Возвраты
    @property
    def report_settings(self) -> ReportSettingsRepository: ...  # models, «Показатели», highlight thresholds


class ReportsDeps(Protocol):
    @property
    def uow(self) -> Callable[[], ReportsUnitOfWork]: ...
    @property
    def clock(self) -> Clock: ...
    @property
    def report_cache(self) -> ReportCache: ...
