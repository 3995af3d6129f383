"""What the planning use cases receive."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from stpulse.application.kernel.ports import Clock, VirusScanner
from stpulse.application.planning.ports import PlanTargetRepository
from stpulse.application.planning.supply_ports import SupplyParamsRepository
from stpulse.application.reports.deps import ReportsUnitOfWork


class PlanningUnitOfWork(ReportsUnitOfWork, Protocol):
    @property
    def plan_targets(self) -> PlanTargetRepository: ...
    @property
    def supply_params(self) -> SupplyParamsRepository: ...  # Планирование поставок: parameters per SKU


class PlanningDeps(Protocol):
    @property
    def uow(self) -> Callable[[], PlanningUnitOfWork]: ...
    @property
    def clock(self) -> Clock: ...
    @property
    def scanner(self) -> VirusScanner | None: ...
