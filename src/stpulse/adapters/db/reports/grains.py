"""Monthly rollups pre-aggregated to a report's grain (`domain.reports.kinds.RollupGrain`): the SQL that
PostgreSQL runs, the same rule in numpy for the packed months, and the binary row format both hand over."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from stpulse.domain.reports.kinds import RollupGrain

_WHERE = "FROM sku_monthly_rollups WHERE shop_id = :shop AND month BETWEEN :first AND :last"
_DAY = "month - DATE '1970-01-01'"
GRAINS: dict[str, str] = {
    # BY_MONTH: sales rows per SKU and month as stored (cost of goods, units); other articles per month, shop-level
    RollupGrain.BY_MONTH: (f"SELECT {_DAY} AS d, sku AS s, article AS a, amount AS m, quantity AS q {_WHERE} AND article = ANY(CAST(:sales AS int[])) "
            f"UNION ALL SELECT {_DAY}, 0, article, sum(amount), sum(quantity) {_WHERE} AND article <> ALL(CAST(:sales AS int[])) "
            "GROUP BY month, article"),
    # BY_SKU: the same, plus other articles per SKU over the whole period (d = −1); per-month rows get s = −1
    RollupGrain.BY_SKU: (f"SELECT {_DAY} AS d, sku AS s, article AS a, amount AS m, quantity AS q {_WHERE} AND article = ANY(CAST(:sales AS int[])) "
             f"UNION ALL SELECT -1, sku, article, sum(amount), sum(quantity) {_WHERE} AND article <> ALL(CAST(:sales AS int[])) "
             "AND sku <> 0 GROUP BY sku, article "
             f"UNION ALL SELECT {_DAY}, -1, article, sum(amount), sum(quantity) {_WHERE} AND article <> ALL(CAST(:sales AS int[])) "
             "GROUP BY month, article "
             f"UNION ALL SELECT {_DAY}, 0, article, amount, quantity {_WHERE} AND article <> ALL(CAST(:sales AS int[])) AND sku = 0"),
}
PACKED = np.dtype([("day", ">i4"), ("sku", ">i8"), ("article", ">i2"), ("amount", ">i8"), ("quantity", ">i8")])


NAMES = ("day", "sku", "article", "amount", "quantity")


def _grouped(key: np.ndarray, amount: np.ndarray, quantity: np.ndarray) -> tuple[np.ndarray, ...]:
    """(distinct keys, Σ amount, Σ quantity). A stable sort: the rows come as months each sorted by SKU, runs
    that the merge sort joins in a few passes (np.unique's quicksort would start from scratch)."""
    order = np.argsort(key, kind="stable")
    k = key[order]
    starts = np.flatnonzero(np.concatenate(([True], k[1:] != k[:-1]))) if len(k) else np.zeros(0, np.intp)
    if not len(starts):
        return k, k, k
    return k[starts], np.add.reduceat(amount[order], starts), np.add.reduceat(quantity[order], starts)


def _dense(key: np.ndarray, amount: np.ndarray, quantity: np.ndarray, size: int) -> tuple[np.ndarray, ...]:
    """The same for small non-negative keys (< size): counted into arrays, no sort."""
    present = np.flatnonzero(np.bincount(key, minlength=size))
    a, q = np.zeros(size, np.int64), np.zeros(size, np.int64)
    np.add.at(a, key, amount)
    np.add.at(q, key, quantity)
    return present, a[present], q[present]


def _rows(c0: np.ndarray | int, c1: np.ndarray | int, c2: np.ndarray, c3: np.ndarray, c4: np.ndarray) -> np.ndarray:
    out = np.empty((len(c2), 5), np.int64)
    out[:, 0], out[:, 1], out[:, 2], out[:, 3], out[:, 4] = c0, c1, c2, c3, c4
    return out


def shaped(rows: np.ndarray, grain: str, sales: Sequence[int]) -> np.ndarray:
    """The plain monthly rows pre-aggregated exactly as the `GRAINS` queries do (same rows, any order).

    Column by column: sales rows as stored; other articles by (month, article) with sku 0 (BY_MONTH) or −1
    (BY_SKU); for BY_SKU also by (sku, article) over the period with day −1 and the shop-level rows (sku 0) as
    stored."""
    if not len(rows):
        return rows
    is_sale = np.isin(rows[:, 2], np.asarray(sales, np.int64))
    other = np.flatnonzero(~is_sale)
    day, sku, art, amount, qty = (rows[other, j] for j in range(5))
    d0 = int(day.min()) if len(day) else 0
    span = int(day.max()) - d0 + 1 if len(day) else 0
    keys, a, q = _dense((day - d0) * 256 + art, amount, qty, span * 256)  # article < 256
    by_month = _rows(keys // 256 + d0, 0 if grain == RollupGrain.BY_MONTH else -1, keys % 256, a, q)
    sales_rows = np.compress(is_sale, rows, axis=0)  # 2-D boolean indexing is ~3× slower
    if grain == RollupGrain.BY_MONTH:
        return np.concatenate([sales_rows, by_month])
    item = np.flatnonzero(sku != 0)
    keys, a, q = _grouped((sku[item] << 8) | art[item], amount[item], qty[item])
    shop_level = rows[other[sku == 0]]
    return np.concatenate([sales_rows, _rows(-1, keys >> 8, keys & 0xFF, a, q), by_month, shop_level])


def unpack(packed: bytes | None) -> np.ndarray:
    """Rows packed by PostgreSQL (`PACKED`, 30 bytes a row) as int64 [n, 5]: no Python object per row."""
    rows = np.frombuffer(packed or b"", dtype=PACKED)
    return np.column_stack([rows[name].astype(np.int64) for name in NAMES]).reshape(-1, 5)
