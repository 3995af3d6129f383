"""In-memory Ozon facts, sync runs and the ledger mapping (same ports as adapters/db/ozon/repositories.py and
adapters/db/ledger/repositories.py; the rules are those of docs/rollups.md).

Their tables live in `FactTables` (the fake Store's `facts`): plain dicts keyed by the SQL tables' natural keys whose
values are immutable, so the unit of work's copy of them is a shallow copy per table — cheap even for a year of lines.
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

import msgspec
import numpy as np

from stpulse.application.accounts.ports import ApiToken
from stpulse.application.costs.ports import OpexRecord
from stpulse.application.ledger.ports import Remap
from stpulse.application.ledger.ports import UnmappedType as QueuedType
from stpulse.application.ozon.records import (
    AccrualRecord,
    AccrualType,
    AnalyticsStockRow,
    DatedBuyout,
    Posting,
    Product,
    ProductInfo,
    ReturnRecord,
)
from stpulse.application.ozon.sync_ports import Anomaly, SyncRun, SyncStatus, UnmappedType
from stpulse.domain.costs.cogs import CostPrice
from stpulse.domain.kernel.period import EPOCH
from stpulse.domain.ledger.accruals import AccrualLine, Component
from stpulse.domain.ledger.articles import LedgerMapping, Source, articles_of
from stpulse.domain.ledger.rollup import Rollup


class StoredProduct(msgspec.Struct, frozen=True, kw_only=True):
    """A row of `ozon_products` (what the reports' catalogue reads)."""

    product_id: int
    offer_id: str
    sku: int
    name: str
    barcodes: str
    price: int
    archived: bool


class StoredStock(msgspec.Struct, frozen=True, kw_only=True):
    cluster_name: str
    warehouse_name: str
    available: int
    transit: int
    reserved: int = 0


ShopDay = tuple[uuid.UUID, dt.date]
RollupKey = tuple[uuid.UUID, dt.date, int, int]  # (shop, day or month, sku — 0 shop-level, article)


@dataclass
class FactTables:
    lines: dict[tuple[uuid.UUID, int, int], AccrualLine] = field(default_factory=dict)
    asked: dict[tuple[uuid.UUID, int, int], dt.date] = field(default_factory=dict)  # the answer's day
    anomalies: dict[tuple[uuid.UUID, str, int, str], Anomaly] = field(default_factory=dict)
    raw_days: dict[tuple[uuid.UUID, str, dt.date], int] = field(default_factory=dict)  # records a day held
    daily: dict[RollupKey, tuple[int, int]] = field(default_factory=dict)  # (amount, quantity)
    monthly: dict[RollupKey, tuple[int, int]] = field(default_factory=dict)
    stamps: dict[ShopDay, int] = field(default_factory=dict)  # (shop, month) → stamp of its monthly rebuild
    postings: dict[tuple[uuid.UUID, str], Posting] = field(default_factory=dict)
    returns: dict[tuple[uuid.UUID, int], ReturnRecord] = field(default_factory=dict)
    products: dict[tuple[uuid.UUID, int], StoredProduct] = field(default_factory=dict)
    stocks: dict[tuple[uuid.UUID, dt.date, int, int], StoredStock] = field(default_factory=dict)
    supply_items: dict[uuid.UUID, list[Any]] = field(default_factory=dict)
    unmapped: dict[tuple[uuid.UUID, int], UnmappedType] = field(default_factory=dict)
    accrual_types: dict[int, tuple[AccrualType, dt.date]] = field(default_factory=dict)  # id → (type, fetched on)
    sync_runs: dict[uuid.UUID, SyncRun] = field(default_factory=dict)
    ledger: dict[int, str] = field(default_factory=dict)  # type_id → article; empty: the default mapping
    remaps: dict[int, Remap] = field(default_factory=dict)
    cost_prices: dict[tuple[uuid.UUID, str, dt.date], CostPrice] = field(default_factory=dict)
    opex: dict[uuid.UUID, OpexRecord] = field(default_factory=dict)
    api_tokens: dict[uuid.UUID, ApiToken] = field(default_factory=dict)
    buyouts: dict[tuple[uuid.UUID, str, int], DatedBuyout] = field(default_factory=dict)
    cash_accounts: dict[uuid.UUID, Any] = field(default_factory=dict)  # ДДС (tests/fakes_cash.py)
    cash_categories: dict[uuid.UUID, Any] = field(default_factory=dict)
    cash_entries: dict[uuid.UUID, Any] = field(default_factory=dict)

    def __deepcopy__(self, memo: dict[int, Any]) -> FactTables:
        return FactTables(**{f.name: dict(getattr(self, f.name)) for f in fields(self)})

    def drop_shop(self, shop_id: uuid.UUID) -> None:
        """What ON DELETE CASCADE removes with a shop."""
        for f in fields(self):
            table = getattr(self, f.name)
            for key in [k for k in table if isinstance(k, tuple) and k and k[0] == shop_id]:
                del table[key]
        for run_id in [i for i, r in self.sync_runs.items() if r.shop_id == shop_id]:
            del self.sync_runs[run_id]


def month_end(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


class _F:
    def __init__(self, tables: FactTables) -> None:
        self.t = tables


class FakeFacts(_F):
    async def write_accruals(self, shop_id: uuid.UUID, first: dt.date, last: dt.date,
                             records: Sequence[AccrualRecord]) -> set[dt.date]:
        """As the SQL store: the lines the answers of first..last carried are replaced; returns the dates of the
        lines replaced or moved here from other answers (their rollups are rebuilt too)."""
        own = [k for k in self.t.lines if k[0] == shop_id and first <= self.t.asked[k] <= last]
        ids = {r.accrual_id for r in records}
        stale = {self.t.lines[k].date for k in own}
        stale |= {x.date for k, x in self.t.lines.items()
                  if k[0] == shop_id and k[1] in ids and not first <= self.t.asked[k] <= last}
        for key in own:
            del self.t.lines[key], self.t.asked[key]
        by_day: dict[dt.date, int] = defaultdict(int)
        for r in records:
            by_day[r.source_day] += 1
            for x in r.lines:
                self.t.lines[(shop_id, x.accrual_id, x.line_no)] = x
                self.t.asked[(shop_id, x.accrual_id, x.line_no)] = r.source_day
        for i in range((last - first).days + 1):
            day = first + dt.timedelta(days=i)
            self.t.raw_days[(shop_id, "accruals", day)] = by_day.get(day, 0)
        self._write_anomalies(shop_id, first, last, records)
        return stale

    def _write_anomalies(self, shop_id: uuid.UUID, first: dt.date, last: dt.date,
                         records: Sequence[AccrualRecord]) -> None:
        for key in [k for k, a in self.t.anomalies.items() if k[0] == shop_id and first <= a.day <= last]:
            del self.t.anomalies[key]
        for r in records:
            for reason in r.anomalies:
                self.t.anomalies[(shop_id, "accruals", r.accrual_id, reason[:300])] = Anomaly(
                    shop_id=shop_id, source="accruals", record_id=r.accrual_id, reason=reason[:300], day=r.source_day,
                    raw=r.raw.decode("utf-8", "replace"))

    async def anomalies(self, shop_id: uuid.UUID | None = None, limit: int = 500) -> list[Anomaly]:
        found = [a for a in self.t.anomalies.values() if shop_id is None or a.shop_id == shop_id]
        found = sorted(found, key=lambda a: (-a.day.toordinal(), a.record_id))[:limit]
        return [msgspec.structs.replace(a, type_ids=tuple(sorted({
            x.type_id for k, x in self.t.lines.items() if k[:2] == (a.shop_id, a.record_id) and x.type_id is not None})))
            for a in found]

    async def save_accrual_types(self, types: Sequence[AccrualType], day: dt.date) -> None:
        self.t.accrual_types.update({t.id: (t, day) for t in types})

    async def accrual_types_fetched_on(self) -> dt.date | None:
        return max((day for _, day in self.t.accrual_types.values()), default=None)

    async def accrual_types(self) -> dict[int, AccrualType]:
        return {i: t for i, (t, _) in self.t.accrual_types.items()}

    async def lines_carried_elsewhere(self, shop_id: uuid.UUID, first: dt.date, last: dt.date,
                                      days: Collection[dt.date]) -> list[AccrualLine]:
        wanted = set(days)
        return [x for k, x in self.t.lines.items()
                if k[0] == shop_id and x.date in wanted and not first <= self.t.asked[k] <= last]

    async def lines_on(self, shop_id: uuid.UUID, days: Collection[dt.date]) -> list[AccrualLine]:
        wanted = set(days)
        return [x for k, x in self.t.lines.items() if k[0] == shop_id and x.date in wanted]

    async def days_with_type(self, type_id: int) -> list[tuple[uuid.UUID, dt.date]]:
        return sorted({(k[0], x.date) for k, x in self.t.lines.items()
                       if x.component == Component.SERVICE and x.type_id == type_id})

    async def write_daily_rollups(self, shop_id: uuid.UUID, days: Collection[dt.date], rollup: Rollup,
                                  source: Source | None = None) -> None:
        wanted = set(days)
        own = set(articles_of(source)) if source is not None else None
        for key in [k for k in self.t.daily if k[0] == shop_id and k[1] in wanted and (own is None or k[3] in own)]:
            del self.t.daily[key]
        for i in range(len(rollup)):
            sku = int(rollup.skus[rollup.sku[i]]) if rollup.sku[i] >= 0 else 0
            key = (shop_id, EPOCH + dt.timedelta(days=int(rollup.day[i])), sku, int(rollup.article[i]))
            if key[1] not in wanted:
                raise ValueError("rollup rows outside the days being replaced")
            if key in self.t.daily:
                raise ValueError(f"duplicate key {key} in sku_daily_rollups")  # the primary key refuses it
            self.t.daily[key] = (int(rollup.amount[i]), int(rollup.quantity[i]))

    async def rebuild_monthly(self, shop_id: uuid.UUID, months: Sequence[dt.date]) -> None:
        for month in months:
            for key in [k for k in self.t.monthly if k[0] == shop_id and k[1] == month]:
                del self.t.monthly[key]
            sums: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0])
            for (shop, day, sku, article), (amount, quantity) in self.t.daily.items():
                if shop == shop_id and month <= day <= month_end(month):
                    cell = sums[(sku, article)]
                    cell[0] += amount
                    cell[1] += quantity
            for (sku, article), (amount, quantity) in sums.items():
                self.t.monthly[(shop_id, month, sku, article)] = (amount, quantity)
            self.t.stamps[(shop_id, month)] = secrets.randbits(62)  # like a refreshed monthly pack

    async def write_buyouts(self, shop_id: uuid.UUID, first: dt.date, last: dt.date,
                            buyouts: Sequence[DatedBuyout]) -> None:
        for key in [k for k, b in self.t.buyouts.items() if k[0] == shop_id and first <= b.day <= last]:
            del self.t.buyouts[key]
        for b in buyouts:
            self.t.buyouts[(shop_id, b.row.posting_number, b.row.sku)] = b

    async def upsert_postings(self, shop_id: uuid.UUID, postings: Sequence[Posting]) -> None:
        for p in postings:
            self.t.postings[(shop_id, p.posting_number)] = p

    async def upsert_returns(self, shop_id: uuid.UUID, returns: Sequence[ReturnRecord]) -> None:
        for r in returns:
            self.t.returns[(shop_id, r.id)] = r

    async def upsert_products(self, shop_id: uuid.UUID, products: Sequence[Product],
                              infos: Sequence[ProductInfo]) -> None:
        info = {i.product_id: i for i in infos}
        for p in products:
            i = info.get(p.product_id)
            self.t.products[(shop_id, p.product_id)] = StoredProduct(
                product_id=p.product_id, offer_id=p.offer_id[:128], sku=i.sku if i else 0,
                name=(i.name if i else "")[:500], barcodes=",".join(i.barcodes)[:1000] if i else "",
                price=i.price if i else 0, archived=p.archived)

    async def replace_stocks(self, shop_id: uuid.UUID, day: dt.date, rows: Sequence[AnalyticsStockRow],
                             fbs: Sequence[Any] = ()) -> None:
        for key in [k for k in self.t.stocks if k[0] == shop_id and k[1] == day]:
            del self.t.stocks[key]
        for r in rows:
            self.t.stocks[(shop_id, day, r.sku, r.warehouse_id or 0)] = StoredStock(
                cluster_name=r.cluster_name[:200], warehouse_name=r.warehouse_name[:200], available=r.available,
                transit=r.transit, reserved=r.valid)
        for s in fbs:
            key = (shop_id, day, s.sku, s.warehouse_ids[0] if s.warehouse_ids else 0)
            self.t.stocks.setdefault(key, StoredStock(cluster_name="FBS", warehouse_name="Склад продавца (FBS)",
                                                      available=max(0, s.present - s.reserved), transit=0,
                                                      reserved=s.reserved))

    async def replace_supply_items(self, shop_id: uuid.UUID, items: Sequence[Any]) -> None:
        self.t.supply_items[shop_id] = list(items)

    async def record_unmapped(self, shop_id: uuid.UUID, mapped: Collection[int]) -> list[int | None]:
        found: dict[int, UnmappedType] = {}
        for key, x in self.t.lines.items():
            if key[0] != shop_id or x.component != Component.SERVICE or (x.type_id is not None and x.type_id in mapped):
                continue
            tid = -1 if x.type_id is None else x.type_id
            seen = found.get(tid)
            found[tid] = UnmappedType(shop_id=shop_id, type_id=tid, lines=(seen.lines if seen else 0) + 1,
                                      first_seen=min(seen.first_seen, x.date) if seen else x.date,
                                      last_seen=max(seen.last_seen, x.date) if seen else x.date)
        for key in [k for k in self.t.unmapped if k[0] == shop_id]:
            del self.t.unmapped[key]
        for tid, u in sorted(found.items()):
            self.t.unmapped[(shop_id, tid)] = u
        return [None if tid < 0 else tid for tid in sorted(found)]

    async def unmapped_types(self, shop_id: uuid.UUID | None = None) -> list[UnmappedType]:
        found = [u for u in self.t.unmapped.values() if shop_id is None or u.shop_id == shop_id]
        return sorted(found, key=lambda u: (u.type_id, u.shop_id))


class FakeSyncRuns(_F):
    async def add(self, run: SyncRun) -> None:
        if run.id in self.t.sync_runs:
            raise ValueError(f"sync run {run.id} exists")  # the primary key refuses it
        self.t.sync_runs[run.id] = run

    async def update(self, run: SyncRun) -> None:
        if run.id in self.t.sync_runs:
            self.t.sync_runs[run.id] = run

    async def latest(self, shop_id: uuid.UUID) -> SyncRun | None:
        runs = await self.history(shop_id, 1)
        return runs[0] if runs else None

    async def history(self, shop_id: uuid.UUID, limit: int) -> list[SyncRun]:
        own = [r for r in self.t.sync_runs.values() if r.shop_id == shop_id]
        return sorted(own, key=lambda r: (r.created_at, r.id), reverse=True)[:limit]

    async def touch(self, run_id: uuid.UUID, at: dt.datetime) -> None:
        run = self.t.sync_runs.get(run_id)
        if run is not None and run.status == SyncStatus.RUNNING:
            self.t.sync_runs[run_id] = msgspec.structs.replace(run, updated_at=at)

    async def stalled(self, before: dt.datetime) -> list[SyncRun]:
        runs = [r for r in self.t.sync_runs.values() if r.status == SyncStatus.RUNNING and r.updated_at < before]
        return sorted(runs, key=lambda r: r.updated_at)

    async def failed_since(self, since: dt.datetime, limit: int) -> list[SyncRun]:
        failed = [r for r in self.t.sync_runs.values() if r.status is SyncStatus.FAILED and r.updated_at >= since]
        return sorted(failed, key=lambda r: (r.updated_at, r.id), reverse=True)[:limit]


class FakeLedger(_F):
    async def mapping(self) -> LedgerMapping:
        return LedgerMapping(articles=dict(self.t.ledger)) if self.t.ledger else LedgerMapping.default()

    async def save(self, mapping: LedgerMapping, at: dt.datetime) -> None:
        self.t.ledger = dict(sorted(mapping.articles.items()))

    async def type_names(self) -> dict[int, str]:
        return {i: t.description or t.name for i, (t, _) in self.t.accrual_types.items() if t.description or t.name}

    async def remaps(self) -> list[Remap]:
        return sorted(self.t.remaps.values(), key=lambda r: (-r.started_at.timestamp(), r.type_id))

    async def save_remap(self, remap: Remap) -> None:
        self.t.remaps[remap.type_id] = remap

    async def unmapped(self, mapping: LedgerMapping, shop_ids: Sequence[uuid.UUID] | None = None) -> list[QueuedType]:
        """Service lines whose type has no article, plus the sync's queue (of these shops; None: every shop)."""
        sums: dict[int | None, list[int]] = defaultdict(lambda: [0, 0])
        mine = (lambda shop: True) if shop_ids is None else (lambda shop: shop in set(shop_ids))  # noqa: E731
        for (shop, _, _), x in self.t.lines.items():
            if not mine(shop):
                continue
            if x.component == Component.SERVICE and (x.type_id is None or x.type_id not in mapping.articles):
                sums[x.type_id][0] += 1
                sums[x.type_id][1] += x.amount
        found = {t: QueuedType(type_id=t, lines=n, amount=s) for t, (n, s) in sums.items()}
        queued: dict[int | None, int] = defaultdict(int)
        for (shop, tid), u in self.t.unmapped.items():
            if mine(shop):
                queued[None if tid < 0 else tid] += u.lines
        for key, n in queued.items():
            if key not in found and (key is None or key not in mapping.articles):
                found[key] = QueuedType(type_id=key, lines=n, amount=0)
        named = {i: t for i, (t, _) in self.t.accrual_types.items()}
        return sorted((msgspec.structs.replace(u, name=named[u.type_id].name, description=named[u.type_id].description)
                       if u.type_id in named else u for u in found.values()),
                      key=lambda u: -1 if u.type_id is None else u.type_id)


def rollup_rows(rows: list[tuple[int, int, int, int, int]]) -> np.ndarray:
    return np.array(sorted(rows), dtype=np.int64).reshape(-1, 5)
