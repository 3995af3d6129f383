"""What the use cases of the cash context receive."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from stpulse.application.accounts.ports import AccountRepository
from stpulse.application.billing.records import SubscriptionRepository, TariffRepository
from stpulse.application.cash.ports import CashRepository, OzonMoneyReader
from stpulse.application.kernel.ports import Clock, Transaction, VirusScanner
from stpulse.application.ledger.ports import ShopRepository


class CashUnitOfWork(Transaction, Protocol):
    @property
    def cash(self) -> CashRepository: ...
    @property
    def ozon_money(self) -> OzonMoneyReader: ...
    @property
    def shops(self) -> ShopRepository: ...
    @property
    def accounts(self) -> AccountRepository: ...
    @property
    def subscriptions(self) -> SubscriptionRepository: ...  # the tariff policy: a read-only account writes nothing
    @property
    def tariffs(self) -> TariffRepository: ...


class CashDeps(Protocol):
    @property
    def uow(self) -> Callable[[], CashUnitOfWork]: ...
    @property
    def clock(self) -> Clock: ...
    @property
    def scanner(self) -> VirusScanner | None: ...
