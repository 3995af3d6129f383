"""Ports of the costs context: cost prices (история себестоимости) and the seller's own expenses."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Protocol

import msgspec

from stpulse.domain.costs.cogs import CostBook, CostPrice


class OpexRecord(msgspec.Struct, frozen=True, kw_only=True):
    id: uuid.UUID
    account_id: uuid.UUID
    shop_id: uuid.UUID | None  # None: the whole account (split over its shops by revenue)
    month: dt.date  # first day of the month
    article: str
    amount: int  # kopecks, positive = expense


class CostRepository(Protocol):
    async def book(self, account_id: uuid.UUID) -> CostBook: ...
    async def upsert(self, account_id: uuid.UUID, entries: Sequence[CostPrice]) -> None: ...
    async def delete(self, account_id: uuid.UUID, offer_id: str, effective_from: dt.date) -> None: ...


class OpexRepository(Protocol):
    async def get(self, account_id: uuid.UUID, entry_id: uuid.UUID) -> OpexRecord | None: ...
    async def add(self, record: OpexRecord) -> None: ...
    async def delete(self, account_id: uuid.UUID, entry_id: uuid.UUID) -> bool: ...
    async def between(self, account_id: uuid.UUID, first: dt.date, last: dt.date) -> list[OpexRecord]: ...
