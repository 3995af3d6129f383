"""What the Ozon sync needs from storage: sync runs (progress, history, checkpoint) and bulk fact writers.

Facts are written in bulk on natural keys, so importing any range twice changes nothing (docs/rollups.md).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Collection, Sequence
from enum import StrEnum
from typing import Protocol

import msgspec

from stpulse.application.ozon.records import (
    AccrualRecord,
    AccrualType,
    AnalyticsStockRow,
    DatedBuyout,
    Posting,
    Product,
    ProductInfo,
    ReturnRecord,
    StockRow,
    SupplyItem,
)
from stpulse.domain.ledger.accruals import AccrualLine
from stpulse.domain.ledger.articles import Source
from stpulse.domain.ledger.rollup import Rollup


class SyncKind(StrEnum):
    BACKFILL = "backfill"
    HOURLY = "hourly"
    MANUAL = "manual"
    CLI = "cli"

    @property
    def label(self) -> str:
        return {"backfill": "Первичная загрузка", "hourly": "Ежечасная", "manual": "Вручную",
                "cli": "Из командной строки"}[self.value]


class SyncStatus(StrEnum):
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"

    @property
    def label(self) -> str:
        return {"running": "Идёт", "done": "Готово", "failed": "Ошибка"}[self.value]


class SyncRun(msgspec.Struct, frozen=True, kw_only=True):
    id: uuid.UUID
    shop_id: uuid.UUID
    kind: SyncKind
    status: SyncStatus
    date_from: dt.date
    date_to: dt.date
    created_at: dt.datetime
    updated_at: dt.datetime
    done_through: dt.date | None = None  # accruals of date_from..done_through are committed (the checkpoint)
    percent: int = 0
    step: str = ""
    error: str = ""
    lines: int = 0
    requests: int = 0
    finished_at: dt.datetime | None = None
    buyouts_through: dt.date | None = None  # buyouts of date_from..buyouts_through are committed


class SyncRunRepository(Protocol):
    async def add(self, run: SyncRun) -> None: ...
    async def update(self, run: SyncRun) -> None: ...
    async def latest(self, shop_id: uuid.UUID) -> SyncRun | None: ...
    async def history(self, shop_id: uuid.UUID, limit: int) -> list[SyncRun]: ...
    async def touch(self, run_id: uuid.UUID, at: dt.datetime) -> None: ...
    async def stalled(self, before: dt.datetime) -> list[SyncRun]: ...
    async def failed_since(self, since: dt.datetime, limit: int) -> list[SyncRun]:
        """Failed runs of every shop updated since `since`, newest first."""
        ...


class UnmappedType(msgspec.Struct, frozen=True, kw_only=True):
    shop_id: uuid.UUID
    type_id: int  # -1: a service line without a type
    first_seen: dt.date
    last_seen: dt.date
    lines: int


class Anomaly(msgspec.Struct, frozen=True, kw_only=True):
    """Something the Ozon adapter could not trust in a record (reason in Russian), kept with the record as sent."""

    shop_id: uuid.UUID
    source: str  # "accruals"
    record_id: int  # the accrual id
    type_ids: tuple[int, ...] = ()  # the accrual types of its stored service lines
    reason: str
    day: dt.date  # the day whose answer carried it
    raw: str  # the record's JSON as Ozon sent it


class FactsStore(Protocol):
    """Bulk writers of one shop's Ozon facts; every method is idempotent on natural keys."""

    async def write_accruals(self, shop_id: uuid.UUID, first: dt.date, last: dt.date,
                             records: Sequence[AccrualRecord]) -> set[dt.date]: ...
    async def lines_carried_elsewhere(self, shop_id: uuid.UUID, first: dt.date, last: dt.date,
                                      days: Collection[dt.date]) -> list[AccrualLine]: ...
    async def lines_on(self, shop_id: uuid.UUID, days: Collection[dt.date]) -> list[AccrualLine]: ...
    async def days_with_type(self, type_id: int) -> list[tuple[uuid.UUID, dt.date]]:
        """(shop, date) of every stored service line of this accrual type, sorted."""
        ...

    async def write_daily_rollups(self, shop_id: uuid.UUID, days: Collection[dt.date], rollup: Rollup,
                                  source: Source | None = None) -> None:
        """Replace the daily rows of `days` (only those of the articles `source` feeds, when given)."""
        ...

    async def write_buyouts(self, shop_id: uuid.UUID, first: dt.date, last: dt.date,
                            buyouts: Sequence[DatedBuyout]) -> None: ...
    async def rebuild_monthly(self, shop_id: uuid.UUID, months: Sequence[dt.date]) -> None: ...
    async def upsert_postings(self, shop_id: uuid.UUID, postings: Sequence[Posting]) -> None: ...
    async def upsert_returns(self, shop_id: uuid.UUID, returns: Sequence[ReturnRecord]) -> None: ...
    async def upsert_products(self, shop_id: uuid.UUID, products: Sequence[Product],
                              infos: Sequence[ProductInfo]) -> None: ...
    async def replace_stocks(self, shop_id: uuid.UUID, day: dt.date, rows: Sequence[AnalyticsStockRow],
                             fbs: Sequence[StockRow] = ()) -> None:
        """The day's snapshot: FBO rows per warehouse, plus the seller's own warehouse from the `fbs` rows."""
        ...

    async def replace_supply_items(self, shop_id: uuid.UUID, items: Sequence[SupplyItem]) -> None:
        """The shop's supplies in flight, replaced whole."""
        ...
    async def record_unmapped(self, shop_id: uuid.UUID, mapped: Collection[int]) -> list[int | None]: ...
    async def unmapped_types(self, shop_id: uuid.UUID | None = None) -> list[UnmappedType]: ...
    async def anomalies(self, shop_id: uuid.UUID | None = None, limit: int = 500) -> list[Anomaly]: ...
    async def save_accrual_types(self, types: Sequence[AccrualType], day: dt.date) -> None: ...
    async def accrual_types_fetched_on(self) -> dt.date | None: ...
    async def accrual_types(self) -> dict[int, AccrualType]: ...
