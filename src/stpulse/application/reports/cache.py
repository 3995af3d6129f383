"""Finished report tables kept per process, keyed by everything that determines them.

The key is the report kind, the account, the chosen shops with their legal entities, the account's shops (an
account-wide expense is split over them), the period, the allocation rule and the database's fingerprint of the data
the report reads (`ReportDataRepository.fingerprint`: the stamps of the packed monthly rollups, digests of the
catalogue, the cost prices, the own expenses, the tax settings and the ledger mapping). Any change to those gives
another key, so an entry is never stale: it is simply not asked for again and ages out.
Tables are immutable (frozen structs of tuples), so one entry can be handed to many requests.
"""

from __future__ import annotations

import asyncio
import weakref
from collections import OrderedDict
from collections.abc import Hashable

from stpulse.domain.reports.table import Table

CELL_LIMIT = 2_000_000  # cells kept in all (~80 MB; a 5,000-SKU Юнитка is 140,000), least recently used dropped first


class TableCache:
    def __init__(self, cell_limit: int = CELL_LIMIT) -> None:
        self.limit, self.cells = cell_limit, 0
        self._items: OrderedDict[Hashable, tuple[Table, int]] = OrderedDict()
        self.hits = self.misses = 0

    def get(self, key: Hashable) -> Table | None:
        item = self._items.get(key)
        if item is None:
            self.misses += 1
            return None
        self._items.move_to_end(key)
        self.hits += 1
        return item[0]

    def put(self, key: Hashable, table: Table) -> None:
        cells = len(table.rows) * (len(table.columns) + 2) + 1  # values, total and label
        if cells > self.limit:
            return
        old = self._items.pop(key, None)
        self.cells += cells - (old[1] if old is not None else 0)
        self._items[key] = (table, cells)
        while self.cells > self.limit:
            _, (_, dropped) = self._items.popitem(last=False)
            self.cells -= dropped

    def clear(self) -> None:
        self._items.clear()
        self.cells = 0

    def __len__(self) -> int:
        return len(self._items)


TABLES = TableCache()


HEAVY_READS = 2  # report tables computed at once per process (set from settings at start-up)
_GATES: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = weakref.WeakKeyDictionary()


def heavy_reads() -> asyncio.Semaphore:
    """The gate of the heavy reads of this process's event loop: at most HEAVY_READS report computations at once,
    so a burst of report requests queues here instead of exhausting the connection pool and the CPU."""
    loop = asyncio.get_running_loop()
    gate = _GATES.get(loop)
    if gate is None:
        gate = _GATES[loop] = asyncio.Semaphore(HEAVY_READS)
    return gate
