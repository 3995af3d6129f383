"""The operational facts ports: posting lines, sales by day, returns and stock left for Операционка and Возвраты."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Protocol

import msgspec
import numpy as np

from stpulse.domain.reports.facts import OrderFacts, ReturnFacts, SalesFacts, SkuHistory, StockLeft


class FactReader(Protocol):
    """Posting lines, sales by day, return records and stock of the report's shops (small integer keys), and the
    account's models."""

    async def order_facts(self, shop_ids: Sequence[int], first: dt.date, last: dt.date,
                          by_day: bool = True, by_month: bool = False, skus: Sequence[int] = ()) -> OrderFacts: ...
    async def sales_facts(self, shop_ids: Sequence[int], first: dt.date, last: dt.date) -> SalesFacts: ...
    async def return_facts(self, shop_ids: Sequence[int], first: dt.date, last: dt.date) -> ReturnFacts: ...
    async def stock_left(self, shop_ids: Sequence[int], last: dt.date) -> StockLeft | None: ...
    async def models(self, account_id: int) -> dict[str, str]: ...
    async def sku_history(self, shop_ids: Sequence[int], first: dt.date, last: dt.date) -> SkuHistory:
        """Each SKU's delivered and returned units, net sales, commission and (reverse) logistics by month."""
        ...


class PostingLine(msgspec.Struct, frozen=True, kw_only=True, array_like=True):
    """A posting's product line as the drill-down of Операционка lists it."""

    shop_id: uuid.UUID
    posting_number: str
    created_day: dt.date
    status: str
    sku: int
    quantity: int
    price: int  # per unit, kopecks


class ReturnLine(msgspec.Struct, frozen=True, kw_only=True, array_like=True, gc=False):
    """A return record with the accruals of its posting and SKU (reverse logistics, compensations)."""

    shop_id: uuid.UUID
    sku: int
    day: dt.date
    type: str
    reason: str
    status: str
    quantity: int
    price: int
    logistics: int
    compensation: int


class ReportFactsRepository(Protocol):
    """Posting lines, returns and stock for Операционка and Возвраты (ozon_posting_items, ozon_returns,
    ozon_stock_snapshots), and the stamps that tell the cache they changed."""

    async def order_arrays(self, shop_ids: Sequence[uuid.UUID], first: dt.date, last: dt.date,
                           by_day: bool = True, by_month: bool = False,
                           skus: Sequence[int] = ()) -> dict[uuid.UUID, np.ndarray]:
        """Shop → int64 [n, 5] (created day number, sku, cancelled 0/1, units, kopecks) summed per SKU, day and
        cancellation (`by_month`: per month, dated on its first day; without `by_day`: over the period, dated on
        `first`); `skus`: only these SKUs (all when empty)."""
        ...

    async def sales_rows(self, shop_ids: Sequence[uuid.UUID], first: dt.date,
                         last: dt.date) -> list[tuple[uuid.UUID, int, dt.date, int, int, int, int]]:
        """(shop, sku, day, sold units, sold kopecks, returned units, returned kopecks) from the daily rollups."""
        ...

    async def return_lines(self, shop_ids: Sequence[uuid.UUID], first: dt.date, last: dt.date,
                           logistics_types: Sequence[int], compensation_types: Sequence[int]) -> list[ReturnLine]: ...

    async def stock_left(self, shop_ids: Sequence[uuid.UUID],
                         last: dt.date) -> tuple[dt.date | None, list[tuple[uuid.UUID, int, int]]]:
        """The latest stock day on or before `last` of each shop and its (shop, sku, units available)."""
        ...

    async def postings(self, shop_ids: Sequence[uuid.UUID], first: dt.date, last: dt.date, sku: int | None,
                       cancelled: bool | None, offset: int, limit: int) -> tuple[list[PostingLine], int]: ...

    async def fact_stamps(self, shop_ids: Sequence[uuid.UUID]) -> str: ...
