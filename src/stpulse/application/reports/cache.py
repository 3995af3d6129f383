"""Finished report tables kept per process, keyed by everything that determines them.

The key is the report kind, the account, the chosen shops with their legal entities, the account's shops (an
account-wide expense is split over them), the period, the allocation rule and the database's fingerprint of the data
the report reads (`ReportDataRepository.fingerprint`: the stamps of the packed monthly rollups, digests of the
catalogue, the cost prices, the own expenses, the tax settings and the ledger mapping). Any change to those gives
another key, so an entry is never stale: it is simply not asked for again and ages out.
Tables are immutable (frozen structs of tuples), so one entry can be handed to many requests.

Two levels (`ReportCache`): this process's `TableCache` first, then a store every process shares (Redis in
production, none in the embedded mode), which the worker fills after a sync (`warm.py`) so that the first request of
any web process is a hit.
ОПиУ's estimate by order date is kept per process apart (`ESTIMATES`), for the tables computed again.
"""

from __future__ import annotations

import asyncio
import hashlib
import uuid
import weakref
from collections import OrderedDict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field

import msgspec
import numpy as np
from msgspec.structs import replace

from stpulse.application.reports.ports import SharedTableStore
from stpulse.domain.ledger.shops import Shop
from stpulse.domain.reports.facts import Estimate
from stpulse.domain.reports.kinds import ReportKind, Selection
from stpulse.domain.reports.table import Table

CELL_LIMIT = 2_000_000  # cells kept in all (~80 MB; a 5,000-SKU Юнитка is 140,000), least recently used dropped first


def table_cells(table: Table) -> int:
    """What a finished table weighs in a cache: its values, and each row's total and label."""
    return len(table.rows) * (len(table.columns) + 2) + 1


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

    def peek(self, key: Hashable) -> Table | None:
        """A look that counts neither a hit nor a miss (a second look after waiting at the heavy-reads gate)."""
        item = self._items.get(key)
        return item[0] if item is not None else None

    def put(self, key: Hashable, table: Table) -> None:
        cells = table_cells(table)
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


class EstimateCache:
    """ОПиУ's estimate by order date kept per process under the key of what it reads (`ReportQuery.estimate_key`:
    the fingerprints of the period and of the three months before it — packs, catalogue, cost book, and the few-row
    tables beside them — and the stamps of the orders). A table computed again because something only the table
    reads changed — a settled month, the payouts, the as-of day, the tariff, the allocation rule — or because the
    finished tables were emptied reuses the estimate instead of reading the orders and the history and pricing them
    again (~80 % of ОПиУ's time for 5,000 SKUs once the packs are decoded). Its arrays are made read-only: one copy
    serves many tables."""

    def __init__(self, limit: int = 64) -> None:
        self.limit = limit
        self._items: OrderedDict[str, Estimate] = OrderedDict()
        self.hits = self.misses = 0

    def get(self, key: str) -> Estimate | None:
        found = self._items.get(key)
        if found is None:
            self.misses += 1
            return None
        self._items.move_to_end(key)
        self.hits += 1
        return found

    def put(self, key: str, estimate: Estimate) -> None:
        for value in msgspec.structs.asdict(estimate).values():
            if isinstance(value, np.ndarray):
                value.flags.writeable = False
        self._items[key] = estimate
        while len(self._items) > self.limit:
            self._items.popitem(last=False)

    def clear(self) -> None:
        self._items.clear()

    def __len__(self) -> int:
        return len(self._items)


ESTIMATES = EstimateCache()


def table_key(code: str, account_id: uuid.UUID, chosen: Sequence[Shop], everything: Sequence[Shop],
              months: tuple[int, int], allocation: str, fingerprint: str) -> str:
    """One text for both levels: the same in every process (UUIDs, month numbers and the fingerprint as text)."""
    shops = ",".join(f"{s.id}:{s.legal_entity_id}" for s in chosen)
    account_shops = ",".join(sorted(str(s.id) for s in everything))
    text = f"{code}|{account_id}|{shops}|{account_shops}|{months[0]}-{months[1]}|{allocation}|{fingerprint}"
    return f"{code}:{hashlib.sha256(text.encode()).hexdigest()}"


@dataclass
class ReportCache:
    """This process's tables first, then the shared store; a table found there is kept here too."""

    local: TableCache
    shared: SharedTableStore | None = None
    shared_hits: int = 0
    shared_misses: int = 0
    _behind: set[asyncio.Task[None]] = field(default_factory=set)

    async def get(self, key: str) -> Table | None:
        table = self.local.get(key)
        if table is not None or self.shared is None:
            return table
        table = await self.shared.get(key)
        if table is None:
            self.shared_misses += 1
            return None
        self.shared_hits += 1
        self.local.put(key, table)
        return table

    def peek(self, key: str) -> Table | None:
        """What another request of this process computed meanwhile (uncounted)."""
        return self.local.peek(key)

    async def put(self, key: str, table: Table, *, behind: bool = False) -> None:
        """Keep the table here and in the shared store; `behind` (a request): the shared copy (encoding and
        compressing a 5,000-SKU table takes ~13 ms) is written after the request has its table, not before."""
        self.local.put(key, table)
        if self.shared is None:
            return
        if not behind:
            await self.shared.put(key, table)
            return
        task = asyncio.get_running_loop().create_task(self.shared.put(key, table))
        self._behind.add(task)  # held until done (the loop keeps only weak references to tasks)
        task.add_done_callback(self._behind.discard)

    async def flushed(self) -> None:
        """Wait until every shared copy written behind a request is stored (the warm job, shutdown, tests)."""
        while self._behind:
            await asyncio.gather(*list(self._behind), return_exceptions=True)
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


class ShownCache:
    """The chosen «Показатели» of cached tables: a table from the cache is the same object on every request (with
    its own heading), so its columns chosen for a selection are cut out once, not for every request (Операционка of
    5,000 SKUs: ~14 ms), and the shown rows stay the same object too (the JSON API then reuses its encoding)."""

    def __init__(self, limit: int = 16) -> None:
        self.limit = limit
        self._items: OrderedDict[tuple[int, tuple[str, ...]], tuple[Table, Table]] = OrderedDict()

    def shown(self, kind: ReportKind, table: Table, selection: Selection) -> Table:
        if not kind.metrics:
            return table
        codes = kind.chosen_metrics(selection)
        key = (id(table.rows), codes)
        hit = self._items.get(key)  # the entry holds its source, so the rows' id is not reused meanwhile
        if hit is not None and hit[0].rows is table.rows and hit[0].columns == table.columns:
            self._items.move_to_end(key)
            return replace(table, columns=hit[1].columns, rows=hit[1].rows)
        shown = kind.shown(table, selection)
        self._items[key] = (table, shown)
        while len(self._items) > self.limit:
            self._items.popitem(last=False)
        return shown


SHOWN = ShownCache()
