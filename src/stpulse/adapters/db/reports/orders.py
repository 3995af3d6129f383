"""The posting lines summed for the reports (ОПиУ's estimate by order date, Операционка), per shop as int64 columns.

On PostgreSQL the rows come packed into one binary string per shop (no Python object per row) and a month's order
sums come from `ozon_order_months` (the writer keeps it equal to the lines); elsewhere a GROUP BY of the lines.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

import numpy as np
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from stpulse.adapters.db.arrays import among
from stpulse.adapters.db.ledger import models as f

It = f.PostingItemRow
EPOCH = dt.date(1970, 1, 1)
# (day number, sku, cancelled 0/1, units, kopecks): the columns `order_arrays` returns per shop
_LINES = np.dtype([("day", ">i4"), ("sku", ">i8"), ("cancelled", ">i2"), ("quantity", ">i8"), ("amount", ">i8")])
_MONTHS = np.dtype([("day", ">i4"), ("sku", ">i8"), ("units", ">i8"), ("amount", ">i8"), ("gone", ">i8"),
                    ("gone_amount", ">i8")])
_PACK_LINES = ("int4send(d - DATE '1970-01-01') || int8send(sku) || int2send(c::int4::int2) || int8send(q) || "
               "int8send(a)")
_PACK_MONTHS = "int4send(d - DATE '1970-01-01') || int8send(sku) || int8send(u) || int8send(a) || int8send(cu) || int8send(ca)"


def _whole_months(first: dt.date, last: dt.date) -> bool:
    return first.day == 1 and (last + dt.timedelta(days=1)).day == 1


async def order_arrays(s: AsyncSession, shop_ids: Sequence[uuid.UUID], first: dt.date, last: dt.date,
                       by_day: bool, by_month: bool, skus: Sequence[int]) -> dict[uuid.UUID, np.ndarray]:
    """Shop → int64 [n, 5] (day number, sku, cancelled, units, kopecks) summed per SKU, cancellation and day (per
    month dated on its first day; without `by_day` over the period, dated on `first`)."""
    if s.bind is None or s.bind.dialect.name != "postgresql":
        return await _grouped_rows(s, shop_ids, first, last, by_day, by_month, skus)
    params: dict[str, Any] = {"shops": list(shop_ids), "first": first, "last": last}
    if (by_month or not by_day) and _whole_months(first, last) and not skus:
        inner = ("SELECT shop_id, sku, month AS d, ordered_units AS u, ordered_amount AS a, cancelled_units AS cu, "
                 "cancelled_amount AS ca FROM ozon_order_months WHERE shop_id = ANY(CAST(:shops AS uuid[])) "
                 "AND month BETWEEN :first AND :last")
        if not by_month:  # summed as bigint (a numeric sum would come back as Decimals)
            inner = (f"SELECT shop_id, sku, CAST(:first AS date) AS d, sum(u)::int8 AS u, sum(a)::int8 AS a, "
                     f"sum(cu)::int8 AS cu, sum(ca)::int8 AS ca FROM ({inner}) m GROUP BY shop_id, sku")
        return {shop: _split_months(packed) for shop, packed in await _packed(s, inner, _PACK_MONTHS, params)}
    day = ("date_trunc('month', created_day)::date" if by_month else "created_day") if by_day or by_month else \
        "CAST(:first AS date)"
    where = "shop_id = ANY(CAST(:shops AS uuid[])) AND created_day BETWEEN :first AND :last"
    if skus:
        where += " AND sku = ANY(CAST(:skus AS bigint[]))"
        params["skus"] = list(skus)
        # a month of one shop's index, filtered by SKU: a generic plan guesses a few rows for `sku = ANY(…)` and
        # walks the month's index entry by entry (~350 ms from the 6th execution in a connection on, against ~30 ms)
        await s.execute(text("SET LOCAL max_parallel_workers_per_gather = 0"))
        await s.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))
    inner = (f"SELECT shop_id, sku, status LIKE 'cancelled%' AS c, {day} AS d, sum(quantity)::int8 AS q, "
             f"sum(quantity::int8 * price)::int8 AS a FROM ozon_posting_items WHERE {where} "
             f"GROUP BY shop_id, sku, c, d")
    return {shop: _columns(np.frombuffer(packed or b"", dtype=_LINES)) for shop, packed in
            await _packed(s, inner, _PACK_LINES, params)}


async def _packed(s: AsyncSession, inner: str, pack: str, params: dict[str, Any]) -> list[tuple[uuid.UUID, bytes]]:
    sql = f"SELECT shop_id, string_agg({pack}, ''::bytea) FROM ({inner}) g GROUP BY shop_id"
    return [(shop, packed) for shop, packed in (await s.execute(text(sql), params)).tuples()]


def _columns(rows: np.ndarray) -> np.ndarray:
    return np.column_stack([rows[n].astype(np.int64) for n in _LINES.names or ()]).reshape(-1, 5)


def _split_months(packed: bytes | None) -> np.ndarray:
    """A month's row of `ozon_order_months` as its uncancelled part and its cancelled part, each when any (an
    uncancelled row stays when the month has nothing at all, as a GROUP BY of the lines would give it)."""
    rows = np.frombuffer(packed or b"", dtype=_MONTHS)
    day, sku = rows["day"].astype(np.int64), rows["sku"].astype(np.int64)
    units, amount = rows["units"].astype(np.int64), rows["amount"].astype(np.int64)
    gone, gone_amount = rows["gone"].astype(np.int64), rows["gone_amount"].astype(np.int64)
    cancelled = (gone != 0) | (gone_amount != 0)
    live = (units != gone) | (amount != gone_amount) | ~cancelled
    return np.concatenate([
        np.column_stack([day, sku, np.zeros(len(day), np.int64), units - gone, amount - gone_amount])[live],
        np.column_stack([day, sku, np.ones(len(day), np.int64), gone, gone_amount])[cancelled],
    ]).reshape(-1, 5)


async def _grouped_rows(s: AsyncSession, shop_ids: Sequence[uuid.UUID], first: dt.date, last: dt.date,
                        by_day: bool, by_month: bool, skus: Sequence[int]) -> dict[uuid.UUID, np.ndarray]:
    """The same from a GROUP BY of the lines (databases without `int8send`, e.g. SQLite)."""
    cancelled = It.status.like("cancelled%")
    day: Any = func.date(It.created_day, "start of month") if by_month else It.created_day
    keys = [It.shop_id, It.sku, cancelled, *([day] if by_day or by_month else [])]
    stmt = (select(*keys, func.sum(It.quantity), func.sum(It.quantity * It.price))
            .where(among(s, It.shop_id, shop_ids), It.created_day >= first, It.created_day <= last,
                   *([among(s, It.sku, skus)] if skus else []))
            .group_by(*keys))
    out: dict[uuid.UUID, list[tuple[int, ...]]] = {}
    for r in (await s.execute(stmt)).all():
        at = r[3] if by_day or by_month else first
        at = at if isinstance(at, dt.date) else dt.date.fromisoformat(str(at))
        out.setdefault(r[0], []).append(((at - EPOCH).days, int(r[1]), int(bool(r[2])), int(r[-2] or 0),
                                         int(r[-1] or 0)))
    return {shop: np.array(rows, dtype=np.int64).reshape(-1, 5) for shop, rows in out.items()}

