"""Monthly rollups packed for the reports: one `sku_monthly_packs` row per (shop, month), see docs/rollups.md.

The writer calls `refresh_monthly_packs` in the same transaction right after it rebuilds the monthly rows of some
months; each refreshed month gets a fresh random `stamp`. Readers ask for the (month, stamp) pairs of a period
(a few dozen bytes), take the months whose stamp they have already decoded from a per-process cache and fetch
only the other months' packs (26 bytes a row, decoded with `np.frombuffer`). A month without a pack (written
before the packs existed, or by a loader that skipped the refresh) is read from `sku_monthly_rollups`.
PostgreSQL only: on SQLite the refresh does nothing and the reports read the rollup rows.
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable, Sequence

import numpy as np
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

PACKED = np.dtype([("sku", ">i8"), ("article", ">i2"), ("amount", ">i8"), ("quantity", ">i8")])
_ROW = "int8send(sku) || int2send(article) || int8send(amount) || int8send(quantity)"
_REFRESH = (
    "INSERT INTO sku_monthly_packs (shop_id, month, stamp, rows, data) "
    f"SELECT :shop, m.month, :stamp, count(r.sku), coalesce(string_agg({_ROW}, ''::bytea ORDER BY sku, article), "
    "''::bytea) FROM unnest(CAST(:months AS date[])) AS m(month) LEFT JOIN sku_monthly_rollups r "
    "ON r.shop_id = :shop AND r.month = m.month GROUP BY m.month "
    "ON CONFLICT (shop_id, month) DO UPDATE SET stamp = excluded.stamp, rows = excluded.rows, data = excluded.data")
_DAY = "month - DATE '1970-01-01'"
CACHE_BYTES = 512 * 1024 * 1024


async def refresh_monthly_packs(session: AsyncSession, shop_id: uuid.UUID, months: Sequence[dt.date]) -> None:
    """Re-pack these months of the shop from `sku_monthly_rollups` (call after every monthly rebuild)."""
    if not months or session.bind is None or session.bind.dialect.name != "postgresql":
        return
    await session.execute(text(_REFRESH), {"shop": shop_id, "months": sorted(set(months)),
                                           "stamp": secrets.randbits(62)})


class _Cache:
    """Decoded arrays by key, least recently used dropped first once they hold more than `limit` bytes."""

    def __init__(self, limit: int) -> None:
        self.limit, self.size = limit, 0
        self.items: OrderedDict[Hashable, np.ndarray] = OrderedDict()

    def get(self, key: Hashable) -> np.ndarray | None:
        value = self.items.get(key)
        if value is not None:
            self.items.move_to_end(key)
        return value

    def put(self, key: Hashable, value: np.ndarray) -> None:
        old = self.items.pop(key, None)
        self.size += value.nbytes - (old.nbytes if old is not None else 0)
        self.items[key] = value
        while self.size > self.limit and len(self.items) > 1:
            _, dropped = self.items.popitem(last=False)
            self.size -= dropped.nbytes

    def clear(self) -> None:
        self.items.clear()
        self.size = 0


CACHE = _Cache(CACHE_BYTES)


def decode(day: int, data: bytes) -> np.ndarray:
    """A pack → int64 [n, 5] rows (day, sku, article, amount, quantity), read-only (shared by the cache).

    Stored column by column (a transposed view): the readers take whole columns, which are then contiguous."""
    packed = np.frombuffer(data, dtype=PACKED)
    out = np.empty((5, len(packed)), np.int64)
    out[0] = day
    for j, name in enumerate(PACKED.names or (), start=1):
        out[j] = packed[name]
    out.flags.writeable = False
    return out.T


async def stamps(session: AsyncSession, shop_id: uuid.UUID, first: dt.date, last: dt.date) -> dict[int, int]:
    """Day number of the month's first day → stamp, for the shop's packed months in first..last."""
    sql = f"SELECT {_DAY}, stamp FROM sku_monthly_packs WHERE shop_id = :shop AND month BETWEEN :first AND :last"
    rows = (await session.execute(text(sql), {"shop": shop_id, "first": first, "last": last})).all()
    return {int(d): int(s) for d, s in rows}


async def packed_months(session: AsyncSession, shop_id: uuid.UUID, known: dict[int, int]) -> list[np.ndarray]:
    """The rows of the packed months `known` (day → stamp): from the cache, the rest from the database."""
    parts: dict[int, np.ndarray] = {}
    for day, stamp in known.items():
        hit = CACHE.get((shop_id, day, stamp))
        if hit is not None:
            parts[day] = hit
    missing = [d for d in known if d not in parts]
    if missing:
        sql = text(f"SELECT {_DAY}, stamp, data FROM sku_monthly_packs WHERE shop_id = :shop "
                   f"AND {_DAY} = ANY(CAST(:days AS int[]))")
        for day, stamp, data in (await session.execute(sql, {"shop": shop_id, "days": missing})).all():
            rows = decode(int(day), bytes(data))
            if int(stamp) == known[int(day)]:
                CACHE.put((shop_id, int(day), int(stamp)), rows)
            parts[int(day)] = rows
    return [parts[d] for d in sorted(parts)]


async def cached(key: Hashable, load: Callable[[], Awaitable[np.ndarray]]) -> np.ndarray:
    """Rows derived from packed months (e.g. the daily sales of a month): `key` must include the months' stamps."""
    hit = CACHE.get(key)
    if hit is not None:
        return hit
    rows = await load()
    rows.flags.writeable = False
    CACHE.put(key, rows)
    return rows
