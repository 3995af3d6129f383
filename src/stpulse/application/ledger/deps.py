"""What the use cases of the ledger context receive."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from stpulse.application.kernel.ports import Clock, JobQueue
from stpulse.application.ledger.ports import LedgerUnitOfWork


class LedgerDeps(Protocol):
    @property
    def uow(self) -> Callable[[], LedgerUnitOfWork]: ...
    @property
    def clock(self) -> Clock: ...
    @property
    def jobs(self) -> JobQueue: ...
