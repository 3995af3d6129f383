"""The steps of one shop sync. Accrual days are fetched a few ahead while earlier chunks are written."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import deque
from collections.abc import AsyncIterator, Callable, Sequence
from typing import Any

import msgspec

from stpulse.application.ozon.deps import OzonDeps
from stpulse.application.ozon.ports import AccrualRecord, OzonSellerApi
from stpulse.application.ozon.rollup_writer import write_rollups
from stpulse.application.ozon.sync_plan import bounds, chunks, days, moscow_today
from stpulse.application.ozon.sync_ports import SyncRun, SyncStatus
from stpulse.domain.ledger.articles import LedgerMapping
from stpulse.domain.ledger.shops import Shop, ShopStatus

# The progress bar by step, from what a large seller's year costs (bench/sync.py: accruals ~60 % of the time,
# postings ~35 %): accrual days up to 60 %, postings by how far their dates have come up to 92 %, then the rest.
ACCRUALS_SHARE = 60
POSTINGS_DONE = 92
_BATCH = 5000


class ShopSync:
    def __init__(self, deps: OzonDeps, shop: Shop, run: SyncRun, api: OzonSellerApi, mapping: LedgerMapping,
                 progress: Callable[[int, str], None] | None) -> None:
        self.deps, self.shop, self.run_state, self.api = deps, shop, run, api
        self.mapping, self.progress = mapping, progress
        self._writing = asyncio.Lock()  # FBO and FBS are read at once; their writes and checkpoints take turns

    @property
    def _requests(self) -> int:
        return int(getattr(self.api, "requests_sent", 0))

    async def run(self) -> None:
        await self._accruals()
        await self._postings()
        await self._returns()
        skus = await self._products()
        await self._stocks(skus)
        await self._finish()

    async def _save(self, write: Callable[[Any], Any], **changes: Any) -> None:
        """One transaction: the write and the run's new progress (so the checkpoint matches the data)."""
        async with self._writing:
            if changes.get("percent", self.run_state.percent) < self.run_state.percent:
                del changes["percent"]  # FBO and FBS report their progress in turns: the bar never goes back
            now = self.deps.clock.now()
            run = msgspec.structs.replace(self.run_state, updated_at=now, requests=self._requests, **changes)
            async with self.deps.uow() as unit:
                uow = unit
                await write(uow)
                await uow.sync_runs.update(run)
                await uow.commit()
            self.run_state = run
        if self.progress and ("percent" in changes or "step" in changes):
            self.progress(run.percent, run.step)

    async def _nothing(self, uow: Any) -> None:
        return None

    async def _accruals(self) -> None:
        run = self.run_state
        start = run.done_through + dt.timedelta(days=1) if run.done_through else run.date_from
        todo, total = days(start, run.date_to), (run.date_to - run.date_from).days + 1
        queue: deque[dt.date] = deque(todo)
        tasks: dict[dt.date, asyncio.Future[list[AccrualRecord]]] = {}
        await self._save(self._nothing, step=f"Начисления с {start:%d.%m.%Y}")

        def top_up() -> None:
            while queue and len(tasks) < self.deps.sync.fetch_ahead:
                day = queue.popleft()
                tasks[day] = asyncio.ensure_future(self._fetch_day(day))

        try:
            for chunk in chunks(todo, self.deps.sync.chunk_days):
                records: list[AccrualRecord] = []
                for day in chunk:
                    top_up()
                    records += await tasks.pop(day)
                top_up()
                await self._write_chunk(chunk, records, total)
        finally:
            for task in tasks.values():
                task.cancel()

    async def _fetch_day(self, day: dt.date) -> list[AccrualRecord]:
        return [r async for page in self.api.accruals_by_day(day) for r in page.records]

    async def _write_chunk(self, chunk: list[dt.date], records: list[AccrualRecord], total: int) -> None:
        """One transaction: the chunk's lines, then the rollups of every day and month they touch, old or new.

        An accrual may be sent twice (in an answer, across pages or days): it is one accrual, the last copy wins.
        Ozon may date an accrual on another day than the one asked for: it is kept on Ozon's date, so the
        rollups of that day are rebuilt too, from these lines and the lines other days' answers put there."""
        records = list({r.accrual_id: r for r in records}.values())
        lines = [x for r in records for x in r.lines]
        first, last, shop_id = chunk[0], chunk[-1], self.shop.id

        async def write(uow: Any) -> None:
            stale = await uow.facts.write_accruals(shop_id, first, last, records)
            days = set(chunk) | stale | {x.date for x in lines}
            others = await uow.facts.lines_carried_elsewhere(shop_id, first, last, days)
            await write_rollups(uow.facts, shop_id, days, [*lines, *others], self.mapping)

        done = (last - self.run_state.date_from).days + 1
        await self._save(write, done_through=last, lines=self.run_state.lines + len(lines),
                         percent=ACCRUALS_SHARE * done // total, step=f"Начисления по {last:%d.%m.%Y}")

    async def _postings(self) -> None:
        await self._save(self._nothing, step="Отправления FBO и FBS", percent=ACCRUALS_SHARE)
        reached: dict[str, float] = {"FBO": 0.0, "FBS": 0.0}  # share of the range each listing has covered
        # Both listings at once, so one is read while the other is written. gather, not a TaskGroup: the first
        # error must reach the caller as itself (OzonKeyInvalid …), not wrapped in an ExceptionGroup.
        tasks = [asyncio.ensure_future(self._posting_range(listing, scheme, reached))
                 for scheme, listing in (("FBO", self.api.postings_fbo), ("FBS", self.api.postings_fbs))]
        try:
            await asyncio.gather(*tasks)
        finally:
            for task in tasks:
                task.cancel()

    async def _posting_range(self, listing: Callable[[dt.datetime, dt.datetime], AsyncIterator[list[Any]]],
                             scheme: str, reached: dict[str, float]) -> None:
        """The whole range in one call: Ozon's listings page by cursor with no offset cap, and the adapter cuts
        the range into the longest windows Ozon accepts (< 1 year), so no request is spent on extra windows.
        Postings come oldest first, so the date of the last one written tells how far the listing has come."""
        since, to = bounds(self.run_state.date_from, self.run_state.date_to)

        def percent(batch: list[Any]) -> int:
            moments = [m for p in batch if (m := p.created_at or p.in_process_at) is not None]
            if moments:
                reached[scheme] = min(1.0, max(reached[scheme], (max(moments) - since) / (to - since)))
            share = sum(reached.values()) / len(reached)
            return ACCRUALS_SHARE + int((POSTINGS_DONE - ACCRUALS_SHARE) * share)

        await self._in_batches(listing(since, to), lambda uow, batch: uow.facts.upsert_postings(self.shop.id, batch),
                               percent)

    async def _returns(self) -> None:
        since, to = bounds(self.run_state.date_from, self.run_state.date_to)
        await self._save(self._nothing, step="Возвраты", percent=POSTINGS_DONE)
        await self._in_batches(self.api.returns(since, to),
                               lambda uow, batch: uow.facts.upsert_returns(self.shop.id, batch))

    async def _in_batches(self, stream: AsyncIterator[Sequence[Any]], write: Callable[[Any, list], Any],
                          percent: Callable[[list[Any]], int] | None = None) -> int:
        buffer: list[Any] = []
        count = 0
        async for batch in read_ahead(stream):
            buffer += batch
            count += len(batch)
            if len(buffer) >= _BATCH:
                taken, buffer = buffer, []
                await self._save(_bind(write, taken), **self._percent(percent, taken))
        if buffer:
            await self._save(_bind(write, buffer), **self._percent(percent, buffer))
        return count

    def _percent(self, percent: Callable[[list[Any]], int] | None, batch: list[Any]) -> dict[str, int]:
        if percent is None:
            return {}
        return {"percent": percent(batch)}

    async def _products(self) -> list[int]:
        await self._save(self._nothing, step="Товары", percent=95)
        products = await self.api.products()
        infos = await self.api.product_info([p.product_id for p in products])
        await self._save(lambda uow: uow.facts.upsert_products(self.shop.id, products, infos), percent=97)
        return sorted({i.sku for i in infos if i.sku})

    async def _stocks(self, skus: list[int]) -> None:
        await self._save(self._nothing, step="Остатки на складах", percent=98)
        rows = await self.api.analytics_stocks(skus) if skus else []
        today = moscow_today(self.deps.clock.now())
        await self._save(lambda uow: uow.facts.replace_stocks(self.shop.id, today, rows))

    async def _finish(self) -> None:
        now, run, shop = self.deps.clock.now(), self.run_state, self.shop
        mapped = set(self.mapping.articles)

        async def write(uow: Any) -> None:
            await uow.facts.record_unmapped(shop.id, mapped)  # the admin's mapping queue reads this table
            current = await uow.shops.by_id(shop.id) or shop
            await uow.shops.update(msgspec.structs.replace(
                current, status=ShopStatus.ACTIVE, last_synced_at=now,
                synced_from=min(current.synced_from or run.date_from, run.date_from),
                synced_to=max(current.synced_to or run.date_to, run.date_to)))

        await self._save(write, status=SyncStatus.DONE, percent=100, step="Готово", finished_at=now)


async def read_ahead(stream: AsyncIterator[Any], depth: int = 2) -> AsyncIterator[Any]:
    """Pull up to `depth` items of `stream` ahead in a task, so the next page is on its way while this one
    is written. An error of the stream surfaces here, in order; leaving early cancels the reader."""
    queue: asyncio.Queue[tuple[bool, Any]] = asyncio.Queue(depth)

    async def pump() -> None:
        try:
            async for item in stream:
                await queue.put((True, item))
        except Exception as exc:  # handed over to the consumer, which raises it
            await queue.put((False, exc))
            return
        await queue.put((False, None))

    reader = asyncio.ensure_future(pump())
    try:
        while True:
            ok, item = await queue.get()
            if not ok:
                if item is not None:
                    raise item
                return
            yield item
    finally:
        reader.cancel()


def _bind(write: Callable[[Any, list], Any], batch: list) -> Callable[[Any], Any]:
    return lambda uow: write(uow, batch)
