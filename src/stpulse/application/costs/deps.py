"""What the use cases of the costs context receive (the «sold without a cost» list reads the report inputs)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from stpulse.application.costs.ports import OpexRepository
from stpulse.application.kernel.ports import AuditRepository, Clock, VirusScanner
from stpulse.application.reports.deps import ReportsUnitOfWork


class CostsUnitOfWork(ReportsUnitOfWork, Protocol):
    @property
    def opex(self) -> OpexRepository: ...
    @property
    def audit(self) -> AuditRepository: ...


class CostsDeps(Protocol):
    @property
    def uow(self) -> Callable[[], CostsUnitOfWork]: ...
    @property
    def clock(self) -> Clock: ...
    @property
    def scanner(self) -> VirusScanner | None: ...
