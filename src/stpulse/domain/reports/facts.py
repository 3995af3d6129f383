"""Facts the operational reports read besides the money rollups: posting lines, return records, stock left.

Column arrays (numpy), shops as the report's small integer keys, days as day numbers since 1970-01-01 (Moscow).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import msgspec
import numpy as np

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
