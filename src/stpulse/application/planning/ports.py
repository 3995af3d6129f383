"""Ports of the planning context: План's targets."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Protocol

import msgspec


class PlanTargetRecord(msgspec.Struct, frozen=True, kw_only=True):
    id: uuid.UUID
    account_id: uuid.UUID
    shop_id: uuid.UUID
    month: dt.date  # first day of the month
    offer_id: str = ""  # "" = the whole shop
    revenue: int | None = None  # kopecks
    units: int | None = None
    profit: int | None = None  # kopecks
    ad_budget: int | None = None  # kopecks
    drr_bp: int | None = None  # basis points


class PlanTargetRepository(Protocol):
    async def between(self, account_id: uuid.UUID, first: dt.date, last: dt.date) -> list[PlanTargetRecord]: ...
    async def upsert(self, records: Sequence[PlanTargetRecord]) -> None:
        """Insert, or replace the targets of the same (shop, month, offer_id)."""
        ...

    async def delete(self, account_id: uuid.UUID, target_id: uuid.UUID) -> PlanTargetRecord | None: ...
