"""A generated seller: catalogue plus lazily generated, cached days. Entry point of the sandbox's data."""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from collections.abc import Callable, Iterator
from typing import Any, Generic, TypeVar

from stpulse.adapters.sandbox.ozon.catalog import Catalog, build_catalog
from stpulse.adapters.sandbox.ozon.config import DEFAULT_EXTRA_TYPES, DEFAULT_HISTORY_DAYS, DEFAULT_TODAY
from stpulse.adapters.sandbox.ozon.day_table import DayTable, assemble
from stpulse.adapters.sandbox.ozon.events import GROUP_WINDOWS, OriginEvents, daily_block, origin_events
from stpulse.adapters.sandbox.ozon.origin import LOOKBACK_DAYS, OriginDay, day_index, generate_origin
from stpulse.adapters.sandbox.ozon.profiles import STREAM_DAILY, STREAM_ORDER, Profile, get_profile, rng_for

K = TypeVar("K")
V = TypeVar("V")
ACCRUAL_ID_BASE = 60_000_000_000
DEFAULT_EXTRA_TYPE_IDS = tuple(extra[0] for extra in DEFAULT_EXTRA_TYPES)


class LRU(Generic[K, V]):
    def __init__(self, size: int) -> None:
        self.size = max(1, size)
        self._data: OrderedDict[K, V] = OrderedDict()

    def get(self, key: K, make: Callable[[], V]) -> V:
        if key in self._data:
            self._data.move_to_end(key)
            return self._data[key]
        value = make()
        self._data[key] = value
        if len(self._data) > self.size:
            self._data.popitem(last=False)
        return value


class SellerWorld:
    """One seller as Ozon sees it on `today`: history from `start` to `today` inclusive, nothing after."""

    def __init__(
        self,
        seed: int,
        profile: str = "small",
        today: dt.date = DEFAULT_TODAY,
        *,
        history_days: int = DEFAULT_HISTORY_DAYS,
        extra_type_ids: tuple[int, ...] = DEFAULT_EXTRA_TYPE_IDS,
        day_cache_size: int = 8,
        origin_cache_size: int = 40,
    ) -> None:
        self.seed = seed
        self.profile: Profile = get_profile(profile)
        self.today = today
        self.start = today - dt.timedelta(days=history_days - 1)
        self.extra_type_ids = tuple(extra_type_ids)
        self.catalog: Catalog = build_catalog(seed, self.profile)
        self._origins: LRU[int, OriginDay] = LRU(max(origin_cache_size, LOOKBACK_DAYS + 2))
        self._events: LRU[tuple[int, str], OriginEvents | None] = LRU(3 * max(origin_cache_size, LOOKBACK_DAYS + 2))
        self._days: LRU[int, DayTable] = LRU(day_cache_size)
        self.memo: dict[object, Any] = {}  # as-of-today derived data (stock, supply orders, ...)
        self._day_totals: dict[int, int] = {}

    @property
    def salt(self) -> int:
        return self.catalog.salt

    def in_history(self, day: dt.date) -> bool:
        return self.start <= day <= self.today

    def days(self, date_from: dt.date, date_to: dt.date) -> Iterator[dt.date]:
        day = max(date_from, self.start)
        while day <= min(date_to, self.today):
            yield day
            day += dt.timedelta(days=1)

    def origin(self, day: dt.date) -> OriginDay | None:
        """Postings created on `day` (None outside the history)."""
        if not self.in_history(day):
            return None
        return self._origins.get(
            day_index(day), lambda: generate_origin(self.seed, self.catalog, self.profile, day, self.start)
        )

    def origin_events(self, day: dt.date, group: str) -> OriginEvents | None:
        """Accruals of one event group (see events.GROUP_WINDOWS) caused by the postings created on `day`."""
        origin = self.origin(day)
        if origin is None:
            return None
        return self._events.get((origin.index, group), lambda: origin_events(origin, self.catalog, group))

    def day_table(self, day: dt.date) -> DayTable:
        """All accruals dated `day` (empty outside the history)."""
        return self._days.get(day_index(day), lambda: self._build_day(day))

    def _build_day(self, day: dt.date) -> DayTable:
        x = day_index(day)
        if not self.in_history(day):
            return assemble([], rng_for(self.seed, STREAM_ORDER, x), x, 0)
        blocks = []
        for back in range(LOOKBACK_DAYS, -1, -1):
            for group, (low, high) in GROUP_WINDOWS.items():
                if not low <= back <= high:
                    continue
                events = self.origin_events(day - dt.timedelta(days=back), group)
                block = events.on(x) if events is not None else None
                if block is not None:
                    blocks.append(block)
        daily = rng_for(self.seed, STREAM_DAILY, x)
        blocks.append(daily_block(daily, day, self.catalog, self.profile, self.extra_type_ids))
        id_base = ACCRUAL_ID_BASE + (self.salt * 100_000 + x) * 1_000_000
        return assemble(blocks, rng_for(self.seed, STREAM_ORDER, x), x, id_base)

    def day_total(self, day: dt.date) -> int:
        """Σ total_amount of the day's accruals (kopecks), cached for balance and payout arithmetic."""
        key = day_index(day)
        if key not in self._day_totals:
            self._day_totals[key] = int(self.day_table(day).acc_total.sum())
        return self._day_totals[key]

    def ground_truth(self, date_from: dt.date, date_to: dt.date) -> Any:
        """Totals of what was generated over [date_from, date_to]; see ground_truth.GroundTruth."""
        from stpulse.adapters.sandbox.ozon.ground_truth import ground_truth  # noqa: PLC0415  (module cycle)

        return ground_truth(self, date_from, date_to)

    def accrual_lines(self, date_from: dt.date, date_to: dt.date) -> Iterator[Any]:
        """Normalised AccrualLine objects of every accrual in the period, as the adapter should see them."""
        from stpulse.adapters.sandbox.ozon.ground_truth import iter_accrual_lines  # noqa: PLC0415

        return iter_accrual_lines(self, date_from, date_to)
