"""Facts the operational reports read besides the money rollups: posting lines, return records, stock left.

Column arrays (numpy), shops as the report's small integer keys, days as day numbers since 1970-01-01 (Moscow).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import msgspec
import numpy as np

from stpulse.domain.kernel.grouping import group_sums
from stpulse.domain.kernel.period import months_of_days
from stpulse.domain.ledger.articles import ARTICLE_INDEX

# where a returned item went (`ReturnFacts.place`)
TO_STOCK, UTILISED, IN_TRANSIT = 0, 1, 2
PLACE_LABELS = ("На склад", "Утилизирован", "В пути")
# Ozon's return types that are a refusal on delivery (невыкуп), not a customer's return of a delivered item
REFUSALS = frozenset({"FullReturn", "PartialReturn", "Cancellation"})


def _ints(values: Sequence[Any] | np.ndarray) -> np.ndarray:
    return np.asarray(values, dtype=np.int64)


class OrderFacts(msgspec.Struct, frozen=True, kw_only=True):
    """Posting lines by the Moscow day their posting was created."""

    shop: np.ndarray
    sku: np.ndarray
    day: np.ndarray
    cancelled: np.ndarray  # bool
    quantity: np.ndarray
    amount: np.ndarray  # kopecks: price × quantity

    @classmethod
    def of(cls, rows: list[tuple[int, int, int, bool, int, int]]) -> OrderFacts:
        cols: list[list[Any]] = [list(c) for c in zip(*rows, strict=True)] if rows else [[] for _ in range(6)]
        return cls(shop=_ints(cols[0]), sku=_ints(cols[1]), day=_ints(cols[2]),
                   cancelled=np.asarray(cols[3], dtype=bool), quantity=_ints(cols[4]), amount=_ints(cols[5]))

    @classmethod
    def of_arrays(cls, parts: Sequence[tuple[int, np.ndarray]]) -> OrderFacts:
        """From each shop's int64 [n, 5] columns (day, sku, cancelled 0/1, units, kopecks)."""
        cols = np.concatenate([np.asarray(c, dtype=np.int64).reshape(-1, 5) for _, c in parts]) if parts else \
            np.zeros((0, 5), np.int64)
        shop = np.concatenate([np.full(len(c), key, np.int64) for key, c in parts]) if parts else _ints([])
        return cls(shop=shop, sku=cols[:, 1].copy(), day=cols[:, 0].copy(), cancelled=cols[:, 2] != 0,
                   quantity=cols[:, 3].copy(), amount=cols[:, 4].copy())


class SalesFacts(msgspec.Struct, frozen=True, kw_only=True):
    """Delivered (sale accruals) and returned units and kopecks per shop, SKU and day (or month's first day) —
    the very rows Юнитка counts."""

    shop: np.ndarray
    sku: np.ndarray
    day: np.ndarray
    sold: np.ndarray
    sold_amount: np.ndarray
    returned: np.ndarray
    returned_amount: np.ndarray  # positive kopecks


class ReturnFacts(msgspec.Struct, frozen=True, kw_only=True):
    """Return records by the Moscow day of the return, with the money on their posting and SKU."""

    reasons: tuple[str, ...]
    shop: np.ndarray
    sku: np.ndarray
    day: np.ndarray
    reason: np.ndarray  # index into `reasons`
    refusal: np.ndarray  # bool: a refusal on delivery (невыкуп), not a customer's return
    place: np.ndarray  # TO_STOCK | UTILISED | IN_TRANSIT
    quantity: np.ndarray
    amount: np.ndarray  # kopecks, positive
    logistics: np.ndarray  # reverse logistics kopecks (negative, as in the P&L)
    compensation: np.ndarray  # compensations received, kopecks (positive)


class StockLeft(msgspec.Struct, frozen=True, kw_only=True):
    """Units available at Ozon per shop and SKU on the latest day stored within the period."""

    shop: np.ndarray
    sku: np.ndarray
    units: np.ndarray
    day: int = 0  # day number of the snapshot (0: none)


def place_of(status: str) -> int:
    """Where a return is by Ozon's visual status: utilised, back to stock (the seller's or Ozon's), or on the way."""
    s = status.lower()
    if "utiliz" in s:
        return UTILISED
    if s in {"returnedtoseller", "returnedtoozon", "arrivedatseller", "returnedtostock", "completed",
             "givenouttoseller", "receivedbyseller"}:
        return TO_STOCK
    return IN_TRANSIT


HISTORY_FIELDS = ("sold", "returned", "sales", "commission", "logistics", "reverse")
_HISTORY_ARTICLES = np.array([ARTICLE_INDEX[a] for a in ("revenue", "returns", "commission", "logistics",
                                                         "reverse_logistics")], np.int64)


class SkuHistory(msgspec.Struct, frozen=True, kw_only=True):
    """The accruals of each SKU by month (ОПиУ's estimate by order date reads the months before each month):
    delivered and returned units, net sales (sales + returns, kopecks) and the commission, logistics and reverse
    logistics charged on it (negative kopecks, as in the P&L)."""

    shop: np.ndarray
    sku: np.ndarray
    month: np.ndarray  # month number since 1970-01
    sold: np.ndarray
    returned: np.ndarray
    sales: np.ndarray
    commission: np.ndarray
    logistics: np.ndarray
    reverse: np.ndarray

    @classmethod
    def empty(cls) -> SkuHistory:
        z = np.zeros(0, np.int64)
        return cls(shop=z, sku=z, month=z, sold=z, returned=z, sales=z, commission=z, logistics=z, reverse=z)

    @classmethod
    def of_rollup(cls, shop: int, rows: np.ndarray) -> SkuHistory:
        """From a shop's monthly rollup rows (month's first day number, sku, article, amount, quantity); rows of no
        SKU (shop-level money) and of the articles the history does not count are left out (they would add 0)."""
        rows = np.asarray(rows, dtype=np.int64).reshape(-1, 5)
        rows = rows[(rows[:, 1] > 0) & np.isin(rows[:, 2], _HISTORY_ARTICLES)]
        art, amount, qty = rows[:, 2], rows[:, 3], rows[:, 4]
        revenue, returns = art == ARTICLE_INDEX["revenue"], art == ARTICLE_INDEX["returns"]
        columns = np.column_stack([np.where(revenue, qty, 0), np.where(returns, qty, 0),
                                   np.where(revenue | returns, amount, 0),
                                   *(np.where(art == ARTICLE_INDEX[a], amount, 0)
                                     for a in ("commission", "logistics", "reverse_logistics"))])
        key, sums = group_sums((months_of_days(rows[:, 0]) << 40) | rows[:, 1], columns)
        return cls(shop=np.full(len(key), shop, np.int64), sku=key & ((1 << 40) - 1), month=key >> 40,
                   **{f: sums[:, i].copy() for i, f in enumerate(HISTORY_FIELDS)})

    @classmethod
    def concat(cls, parts: Sequence[SkuHistory]) -> SkuHistory:
        if not parts:
            return cls.empty()
        names = ("shop", "sku", "month", *HISTORY_FIELDS)
        return cls(**{n: np.concatenate([getattr(p, n) for p in parts]) for n in names})


class Estimate(msgspec.Struct, frozen=True, kw_only=True):
    """ОПиУ's estimate by order date (`operational.estimate_by_orders`), its parts per (shop index, month index) of
    the report: int64 kopecks (expenses negative)."""

    has_orders: np.ndarray  # bool [shop, month]: the shop had orders that month
    ordered: np.ndarray  # orders at the seller's price without the cancelled
    units: np.ndarray  # ordered units without the cancelled
    revenue: np.ndarray  # expected: ordered × buyout rate
    commission: np.ndarray
    logistics: np.ndarray
    reverse: np.ndarray  # reverse logistics of the expected returns
    cogs: np.ndarray
    uncosted: np.ndarray  # ordered units without a cost price in force
    sources: dict[str, tuple[int, ...]]  # rate → SKU-months priced by the SKU, the shop, the shop's month, nothing
