"""What the use cases of the ozon context (shops and the sync) receive."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

import msgspec

from stpulse.application.billing.deps import BillingUnitOfWork
from stpulse.application.kernel.ports import Clock, JobQueue, KernelUnitOfWork, SecretBox
from stpulse.application.ledger.ports import LedgerRepository
from stpulse.application.ledger.settlement import SettlementRepository
from stpulse.application.ozon.ports import OzonSellerApiFactory
from stpulse.application.ozon.sync_ports import FactsStore, SyncRunRepository


class SyncConfig(msgspec.Struct, frozen=True, kw_only=True):
    backfill_months: int = 12  # the first sync loads this many calendar months, the current one included
    recent_days: int = 7  # every later sync re-reads these last days: Ozon posts accruals late
    chunk_days: int = 10  # accrual days written (and checkpointed) in one transaction
    fetch_ahead: int = 4  # accrual days fetched concurrently
    stale_seconds: int = 30  # a running sync silent this long lost its worker: the resume tick takes it over


class OzonUnitOfWork(BillingUnitOfWork, KernelUnitOfWork, Protocol):
    """Shops and the sync; the billing repositories answer whether the tariff allows a shop or a sync; the
    kernel's outbox carries the sync a change asks for."""

    @property
    def facts(self) -> FactsStore: ...
    @property
    def sync_runs(self) -> SyncRunRepository: ...
    @property
    def ledger(self) -> LedgerRepository: ...
    @property
    def settlement(self) -> SettlementRepository: ...


class OzonDeps(Protocol):
    @property
    def uow(self) -> Callable[[], OzonUnitOfWork]: ...
    @property
    def clock(self) -> Clock: ...
    @property
    def jobs(self) -> JobQueue: ...
    @property
    def secrets(self) -> SecretBox: ...
    @property
    def ozon(self) -> OzonSellerApiFactory | None: ...
    @property
    def sync(self) -> SyncConfig: ...
