"""The registry of Ozon sync sources: what each fetches, how it writes, how it checkpoints, what it weighs.

The sync (sync_steps.ShopSync) runs `SOURCES` in order; each source gets a slice of the progress bar in proportion
to its weight (bench/sync.py: accruals take ~60 % of a large seller's year, postings ~35 %). Adding a source is one
entry here. Three shapes cover Ozon's endpoints:
- `DailySource` — day by day with read-ahead; each chunk of days is written with the checkpoint `done_through`
  in one transaction, so an interrupted run resumes after the last chunk written (accruals);
- `RangeSource` — listings over the run's dates, paged, written in batches; the progress follows the dates the
  listings have reached (postings, returns);
- `SnapshotSource` — one answer written at once; `daily` ones are fetched once a Moscow day (products, stocks,
  the accrual type names);
- `BuyoutSource` — windows of at most a month with their own checkpoint (`buyouts.py`: «Выкупы Озоном»).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from stpulse.application.ozon import settlement_sync as st
from stpulse.application.ozon.buyouts import BuyoutSource
from stpulse.application.ozon.ports import AccrualPage, AccrualRecord, AccrualType, OzonSellerApi
from stpulse.application.ozon.records import SupplyItem
from stpulse.application.ozon.rollup_writer import write_rollups
from stpulse.application.ozon.sync_ports import SyncRun
from stpulse.domain.kernel.moscow import moscow_today
from stpulse.domain.ledger.articles import LedgerMapping

Listing = Callable[[OzonSellerApi, dt.datetime, dt.datetime], AsyncIterator[Sequence[Any]]]


@dataclass(frozen=True)
class Span:
    """The slice of the progress bar a source owns: `at(share)` maps its own 0..1 onto start..end percent."""

    start: int
    end: int

    def at(self, share: float) -> int:
        return self.start + int((self.end - self.start) * min(1.0, max(0.0, share)))


class SourceJob(Protocol):
    """What a source gets from the running sync (sync_steps.ShopSync)."""

    api: OzonSellerApi
    run_state: SyncRun
    mapping: LedgerMapping
    found: dict[str, Any]  # what earlier sources of this run fetched, by code

    @property
    def shop_id(self) -> uuid.UUID: ...
    def today(self) -> dt.date: ...
    async def save(self, write: Callable[[Any], Awaitable[Any]] | None, **changes: Any) -> None: ...
    async def read(self, read: Callable[[Any], Awaitable[Any]]) -> Any: ...
    async def days(self, source: DailySource, span: Span) -> None: ...
    async def listings(self, source: RangeSource, span: Span) -> None: ...


@dataclass(frozen=True)
class DailySource:
    code: str
    step: str  # «Начисления»: the step reads «Начисления с 01.07.2026», then «… по 05.07.2026»
    weight: int
    fetch: Callable[[OzonSellerApi, dt.date], AsyncIterator[AccrualPage]]
    # (job, chunk of days, records) → the write (one transaction with the checkpoint) and the lines it writes
    write: Callable[[SourceJob, list[dt.date], list[Any]], tuple[Callable[[Any], Awaitable[None]], int]]

    async def run(self, job: SourceJob, span: Span) -> None:
        await job.days(self, span)


@dataclass(frozen=True)
class RangeSource:
    code: str
    step: str
    weight: int
    listings: tuple[Listing, ...]  # read at once; their writes take turns
    write: Callable[[Any, uuid.UUID, list[Any]], Awaitable[None]]  # (uow, shop, batch)
    moment: Callable[[Any], dt.datetime | None] | None = None  # a record's date, oldest first: the progress

    async def run(self, job: SourceJob, span: Span) -> None:
        await job.save(None, step=self.step, percent=span.start)
        await job.listings(self, span)


@dataclass(frozen=True)
class SnapshotSource:
    code: str
    step: str
    weight: int
    fetch: Callable[[SourceJob], Awaitable[Any]]
    # (uow, job, fetched); None: the fetch writes as it reads and leaves nothing (no transaction after it)
    write: Callable[[Any, SourceJob, Any], Awaitable[None]] | None
    fetched_on: Callable[[Any], Awaitable[dt.date | None]] | None = None  # set: fetched once a Moscow day

    async def run(self, job: SourceJob, span: Span) -> None:
        if self.fetched_on is not None and await job.read(self.fetched_on) == job.today():
            return
        await job.save(None, step=self.step, percent=span.start)
        found = job.found[self.code] = await self.fetch(job)
        if (write := self.write) is not None:
            await job.save(lambda uow: write(uow, job, found), percent=span.end)


SyncSource = DailySource | RangeSource | SnapshotSource | BuyoutSource


async def _products(job: SourceJob) -> tuple[list[Any], list[Any]]:
    products = await job.api.products()
    return products, await job.api.product_info([p.product_id for p in products])


async def _stocks(job: SourceJob) -> tuple[list[Any], list[Any]]:
    """FBO stock per warehouse (/v1/analytics/stocks) and the seller's own FBS stock (/v4/product/info/stocks)."""
    _, infos = job.found.get("products", ([], []))
    skus = sorted({i.sku for i in infos if i.sku})
    if not skus:
        return [], []
    return await job.api.analytics_stocks(skus), [s for s in await job.api.stocks() if s.warehouse_type == "fbs"]


SUPPLIES_IN_FLIGHT = ("DATA_FILLING", "READY_TO_SUPPLY", "ACCEPTED_AT_SUPPLY_WAREHOUSE", "IN_TRANSIT",
                      "ACCEPTANCE_AT_STORAGE_WAREHOUSE")


async def _supplies(job: SourceJob) -> list[SupplyItem]:
    """The SKUs of every supply not yet completed, with the cluster of its storage warehouse and arrival date."""
    orders = await job.api.supply_orders(SUPPLIES_IN_FLIGHT)
    if not orders:
        return []
    cluster_of = {w.warehouse_id: c.name for c in await job.api.clusters() for w in c.warehouses}
    items: list[SupplyItem] = []
    for order in orders:
        for s in order.supplies:
            if s.state and s.state not in SUPPLIES_IN_FLIGHT:
                continue
            arrival = moscow_today(s.arrival_date) if s.arrival_date else None
            for b in await job.api.supply_bundle(s.bundle_id):
                items.append(SupplyItem(
                    supply_id=s.supply_id, order_id=order.order_id, sku=b.sku, state=s.state or order.state,
                    warehouse_id=s.storage_warehouse_id or 0, warehouse_name=s.storage_warehouse_name,
                    cluster_name=cluster_of.get(s.storage_warehouse_id or 0, ""), arrival_date=arrival,
                    quantity=b.quantity))
    return items


async def _types(job: SourceJob) -> list[AccrualType]:
    return await job.api.accrual_types()


def _write_accruals(job: SourceJob, chunk: list[dt.date],
                    records: list[AccrualRecord]) -> tuple[Callable[[Any], Awaitable[None]], int]:
    """The chunk's lines, then the rollups of every day and month they touch, old or new.

    An accrual may be sent twice (in an answer, across pages or days): it is one accrual, the last copy wins.
    Ozon may date an accrual on another day than the one asked for: it is kept on Ozon's date, so the
    rollups of that day are rebuilt too, from these lines and the lines other days' answers put there."""
    records = list({r.accrual_id: r for r in records}.values())
    lines = [x for r in records for x in r.lines]
    first, last, shop_id = chunk[0], chunk[-1], job.shop_id

    async def write(uow: Any) -> None:
        stale = await uow.facts.write_accruals(shop_id, first, last, records)
        days = set(chunk) | stale | {x.date for x in lines}
        others = await uow.facts.lines_carried_elsewhere(shop_id, first, last, days)
        await write_rollups(uow.facts, shop_id, days, [*lines, *others], job.mapping)

    return write, len(lines)


SOURCES: tuple[SyncSource, ...] = (
    DailySource(code="accruals", step="Начисления", weight=60,
                fetch=lambda api, day: api.accruals_by_day(day), write=_write_accruals),
    RangeSource(code="postings", step="Отправления FBO и FBS", weight=32,
                listings=(lambda api, since, to: api.postings_fbo(since, to),
                          lambda api, since, to: api.postings_fbs(since, to)),
                write=lambda uow, shop_id, batch: uow.facts.upsert_postings(shop_id, batch),
                moment=lambda posting: posting.created_at or posting.in_process_at),
    RangeSource(code="returns", step="Возвраты", weight=3, listings=(lambda api, since, to: api.returns(since, to),),
                write=lambda uow, shop_id, batch: uow.facts.upsert_returns(shop_id, batch)),
    SnapshotSource(code="products", step="Товары", weight=2, fetch=_products,
                   write=lambda uow, job, found: uow.facts.upsert_products(job.shop_id, *found)),
    SnapshotSource(code="stocks", step="Остатки на складах", weight=2, fetch=_stocks,
                   write=lambda uow, job, found: uow.facts.replace_stocks(job.shop_id, job.today(), *found)),
    SnapshotSource(code="supplies", step="Поставки в пути", weight=1, fetch=_supplies,
                   write=lambda uow, job, items: uow.facts.replace_supply_items(job.shop_id, items)),
    SnapshotSource(code="accrual_types", step="Справочник начислений", weight=1, fetch=_types,
                   write=lambda uow, job, types: uow.facts.save_accrual_types(types, job.today()),
                   fetched_on=lambda uow: uow.facts.accrual_types_fetched_on()),
    BuyoutSource(code="buyouts", step="Выкупы Озоном", weight=3),  # application/ozon/buyouts.py
    # Ozon's settlement documents for «Сверка с Ozon» and ДДС (settlement_sync.py); weight 0 keeps the bar's
    # slices of the sources above, each writes as it reads and names its step (write=None: nothing left after)
    SnapshotSource(code="realization", step="Отчёт о реализации", weight=0, fetch=st.fetch_realization,
                   write=None),
    SnapshotSource(code="realization_days", step="Реализация по дням", weight=0, fetch=st.fetch_realization_days,
                   write=None),
    SnapshotSource(code="cash_flow", step="Финансовый отчёт Ozon", weight=0, fetch=st.fetch_cash_flow,
                   write=None),
    SnapshotSource(code="balances", step="Баланс Ozon", weight=0, fetch=st.fetch_balances, write=None),
    SnapshotSource(code="day_sums", step="Сверка с Ozon", weight=0, fetch=st.refresh_day_sums, write=None),
)
