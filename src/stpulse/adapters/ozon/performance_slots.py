"""Ozon's limits on Performance reports, held before a report is asked for: never fire and retry on 429.

Ozon refuses a second running report of an ad account and a sixth of an organisation, and a refused report is
lost. So every report waits here for a slot of its account (1) and of its organisation (5) and gives both back
only when Ozon says the report is done (OK or ERROR). These slots are shared by every key used by one factory (one
process); several worker processes share theirs through Redis (`performance_slots_redis.py`).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Protocol

PER_ACCOUNT = 1
PER_ORGANISATION = 5


class ReportSlotsLike(Protocol):
    """`ReportSlots` (one process) or `RedisReportSlots` (every worker process)."""

    running: dict[str, int]
    peak: dict[str, int]

    def hold(self, client_id: str, organisation: str) -> AbstractAsyncContextManager[None]: ...


class ReportSlots:
    def __init__(self, per_account: int = PER_ACCOUNT, per_organisation: int = PER_ORGANISATION) -> None:
        self.per_account, self.per_organisation = per_account, per_organisation
        self._accounts: dict[str, asyncio.Semaphore] = {}
        self._organisations: dict[str, asyncio.Semaphore] = {}
        self.running: dict[str, int] = {}  # organisation → reports running now (tests watch it)
        self.peak: dict[str, int] = {}

    @asynccontextmanager
    async def hold(self, client_id: str, organisation: str) -> AsyncIterator[None]:
        """Account first (waiting for one's own report keeps no organisation slot busy), then organisation."""
        account = self._accounts.setdefault(client_id, asyncio.Semaphore(self.per_account))
        org_key = organisation or client_id
        org = self._organisations.setdefault(org_key, asyncio.Semaphore(self.per_organisation))
        async with account, org:
            self.running[org_key] = self.running.get(org_key, 0) + 1
            self.peak[org_key] = max(self.peak.get(org_key, 0), self.running[org_key])
            try:
                yield
            finally:
                self.running[org_key] -= 1
