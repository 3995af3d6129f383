"""Cost of goods: per offer_id a history of cost prices, each in force from its effective date.

A sale takes the cost in force on its date: a cost that starts on day d applies to sales of day d and later;
the day before still takes the previous cost. A sale before the first cost has no cost and is flagged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import cached_property

import msgspec
import numpy as np

from stpulse.domain.kernel.errors import ValidationError
from stpulse.domain.kernel.period import day_number

_DAY_SPAN = 1 << 21  # composite key (offer, day): days since 1970 stay far below this


class CostPrice(msgspec.Struct, frozen=True, kw_only=True, gc=False):  # thousands a book, no cycles
    offer_id: str
    effective_from: dt.date
    purchase: int  # kopecks per unit
    delivery: int = 0  # delivery to the warehouse, per unit
    packaging: int = 0
    marking: int = 0

    @property
    def total(self) -> int:
        return self.purchase + self.delivery + self.packaging + self.marking


class CostTable(msgspec.Struct, frozen=True, kw_only=True, dict=True):
    """Columnar cost history sorted by (offer, day) for vectorised look-ups. Immutable, so the offer → index
    map is made once per table (the book keeps its table)."""

    offers: tuple[str, ...]  # offer index → offer_id, sorted
    offer: np.ndarray  # int32 offer index per entry
    day: np.ndarray  # int32 effective day number per entry
    total: np.ndarray  # int64 total cost per unit

    def offer_index(self, offer_ids: Sequence[str | None]) -> np.ndarray:
        """offer_id → index (−1 when the offer has no cost history)."""
        pos = self._positions
        return np.fromiter((pos.get(o, -1) if o is not None else -1 for o in offer_ids),
                           dtype=np.int32, count=len(offer_ids))

    @cached_property
    def _positions(self) -> dict[str, int]:
        return {o: i for i, o in enumerate(self.offers)}

    def lookup(self, offer_idx: np.ndarray, days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Cost per unit in force on each (offer, day); returns (cost int64, known bool)."""
        offer_idx = np.asarray(offer_idx, dtype=np.int64)
        keys = self.offer.astype(np.int64) * _DAY_SPAN + self.day
        query = offer_idx * _DAY_SPAN + np.asarray(days, dtype=np.int64)
        pos = np.searchsorted(keys, query, side="right") - 1
        safe = np.maximum(pos, 0)
        known = (pos >= 0) & (offer_idx >= 0) & (self.offer[safe] == offer_idx) if len(keys) else pos >= 0
        cost = np.where(known, self.total[safe] if len(keys) else 0, 0).astype(np.int64)
        return cost, known


class CostBook(msgspec.Struct, frozen=True, kw_only=True, dict=True):
    """All cost prices of an account; validated on creation. Immutable, so its table is computed once."""

    entries: tuple[CostPrice, ...]

    def __post_init__(self) -> None:
        errors: dict[str, str] = {}
        seen: set[tuple[str, dt.date]] = set()
        for e in self.entries:
            key = (e.offer_id, e.effective_from)
            problem = ("Две цены на одну дату для одного артикула" if key in seen else
                       "Себестоимость не может быть отрицательной" if min(e.purchase, e.delivery, e.packaging,
                                                                          e.marking) < 0 else
                       "Не указан артикул" if not e.offer_id.strip() else "")
            if problem:  # the message is built only for a bad entry (the book is checked on every report)
                errors[f"{e.offer_id} / {e.effective_from.strftime('%d.%m.%Y')}"] = problem
            seen.add(key)
        if errors:
            raise ValidationError(errors, "Ошибки в истории себестоимости")

    def history(self, offer_id: str) -> tuple[CostPrice, ...]:
        return tuple(sorted((e for e in self.entries if e.offer_id == offer_id), key=lambda e: e.effective_from))

    def in_force(self, offer_id: str, day: dt.date) -> CostPrice | None:
        current = None
        for e in self.history(offer_id):
            if e.effective_from <= day:
                current = e
        return current

    def merged(self, updates: Sequence[CostPrice]) -> CostBook:
        """The book with `updates` added; an update for an existing (offer_id, date) replaces it."""
        keep = {(e.offer_id, e.effective_from): e for e in self.entries}
        keep.update({(u.offer_id, u.effective_from): u for u in updates})
        return CostBook(entries=tuple(keep.values()))

    def table(self) -> CostTable:
        return self._table

    @cached_property
    def mid_month_changes(self) -> tuple[tuple[str, dt.date], ...]:
        """(offer_id, date) of the prices that start on a day other than the 1st (sales of that month are costed
        by day)."""
        return tuple((e.offer_id, e.effective_from) for e in self.entries if e.effective_from.day != 1)

    @cached_property
    def _table(self) -> CostTable:
        offers = tuple(sorted({e.offer_id for e in self.entries}))
        pos = {o: i for i, o in enumerate(offers)}
        rows = sorted((pos[e.offer_id], day_number(e.effective_from), e.total) for e in self.entries)
        arr = np.array(rows, dtype=np.int64).reshape(-1, 3)
        return CostTable(offers=offers, offer=arr[:, 0].astype(np.int32), day=arr[:, 1].astype(np.int32),
                         total=arr[:, 2].copy())
