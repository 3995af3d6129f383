"""What the planning use cases receive: the catalogue to check offer_ids, the parameters, the time."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from stpulse.application.accounts.ports import AccountRepository, MembershipRepository, UserRepository
from stpulse.application.kernel.ports import Clock, Transaction
from stpulse.application.ledger.ports import ShopRepository
from stpulse.application.planning.ports import SupplyParamsRepository
from stpulse.application.reports.ports import ReportDataRepository


class PlanningUnitOfWork(Transaction, Protocol):
    @property
    def supply_params(self) -> SupplyParamsRepository: ...
    @property
    def shops(self) -> ShopRepository: ...
    @property
    def report_data(self) -> ReportDataRepository: ...  # the shops' catalogue (offer_id ↔ SKU)
    @property
    def accounts(self) -> AccountRepository: ...
    @property
    def memberships(self) -> MembershipRepository: ...
    @property
    def users(self) -> UserRepository: ...


class PlanningDeps(Protocol):
    @property
    def uow(self) -> Callable[[], PlanningUnitOfWork]: ...
    @property
    def clock(self) -> Clock: ...
