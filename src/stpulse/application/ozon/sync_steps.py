"""One shop sync: the registered sources (application/ozon/sources.py) in order, each writing as it reads.

Accrual days are fetched a few ahead while earlier chunks are written; listings page ahead while a batch is
written. Every write goes with the run's progress in one transaction, so the checkpoint matches the data."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import Any

import msgspec

from stpulse.application.ozon.deps import OzonDeps
from stpulse.application.ozon.ports import AccrualRecord, OzonSellerApi
from stpulse.application.ozon.sources import SOURCES, DailySource, RangeSource, Span, SyncSource
from stpulse.application.ozon.sync_plan import bounds, chunks, days, moscow_today
from stpulse.application.ozon.sync_ports import SyncRun, SyncStatus
from stpulse.domain.ledger.articles import LedgerMapping
from stpulse.domain.ledger.shops import Shop, ShopStatus

_BATCH = 5000


def spans(sources: Sequence[SyncSource]) -> list[Span]:
    """Each source's slice of the bar, by weight: the bar follows where the time goes, no constants. The run
    marked done says «Готово» at 100 %."""
    total, done, found = sum(s.weight for s in sources) or 1, 0, []
    for source in sources:
        found.append(Span(100 * done // total, 100 * (done + source.weight) // total))
        done += source.weight
    return found


class ShopSync:
    def __init__(self, deps: OzonDeps, shop: Shop, run: SyncRun, api: OzonSellerApi, mapping: LedgerMapping,
                 progress: Callable[[int, str], None] | None, sources: Sequence[SyncSource] = SOURCES) -> None:
        self.deps, self.shop, self.run_state, self.api = deps, shop, run, api
        self.mapping, self.progress, self.sources = mapping, progress, tuple(sources)
        self.found: dict[str, Any] = {}
        self._writing = asyncio.Lock()  # listings are read at once; their writes and checkpoints take turns

    @property
    def shop_id(self) -> uuid.UUID:
        return self.shop.id

    @property
    def _requests(self) -> int:
        return int(getattr(self.api, "requests_sent", 0))

    def today(self) -> dt.date:
        return moscow_today(self.deps.clock.now())

    async def run(self) -> None:
        for source, span in zip(self.sources, spans(self.sources), strict=True):
            await source.run(self, span)
        await self._finish()

    async def read(self, read: Callable[[Any], Awaitable[Any]]) -> Any:
        async with self.deps.uow() as unit:
            return await read(unit)

    async def save(self, write: Callable[[Any], Awaitable[Any]] | None, **changes: Any) -> None:
        """One transaction: the write and the run's new progress (so the checkpoint matches the data)."""
        async with self._writing:
            if changes.get("percent", self.run_state.percent) < self.run_state.percent:
                del changes["percent"]  # listings report their progress in turns: the bar never goes back
            now = self.deps.clock.now()
            run = msgspec.structs.replace(self.run_state, updated_at=now, requests=self._requests, **changes)
            async with self.deps.uow() as unit:
                uow = unit
                if write is not None:
                    await write(uow)
                await uow.sync_runs.update(run)
                await uow.commit()
            self.run_state = run
        if self.progress and ("percent" in changes or "step" in changes):
            self.progress(run.percent, run.step)

    async def days(self, source: DailySource, span: Span) -> None:
        """Day by day from the checkpoint, `fetch_ahead` days in flight, written `chunk_days` at a time."""
        run = self.run_state
        start = run.done_through + dt.timedelta(days=1) if run.done_through else run.date_from
        todo, total = days(start, run.date_to), (run.date_to - run.date_from).days + 1
        queue: deque[dt.date] = deque(todo)
        tasks: dict[dt.date, asyncio.Future[list[AccrualRecord]]] = {}
        await self.save(None, step=f"{source.step} с {start:%d.%m.%Y}")

        def top_up() -> None:
            while queue and len(tasks) < self.deps.sync.fetch_ahead:
                day = queue.popleft()
                tasks[day] = asyncio.ensure_future(self._fetch_day(source, day))

        try:
            for chunk in chunks(todo, self.deps.sync.chunk_days):
                records: list[AccrualRecord] = []
                for day in chunk:
                    top_up()
                    records += await tasks.pop(day)
                top_up()
                write, lines = source.write(self, chunk, records)
                last = chunk[-1]
                await self.save(write, done_through=last, lines=self.run_state.lines + lines,
                                percent=span.at(((last - run.date_from).days + 1) / total),
                                step=f"{source.step} по {last:%d.%m.%Y}")
        finally:
            for task in tasks.values():
                task.cancel()

    async def _fetch_day(self, source: DailySource, day: dt.date) -> list[AccrualRecord]:
        return [r async for page in source.fetch(self.api, day) for r in page.records]

    async def listings(self, source: RangeSource, span: Span) -> None:
        """The whole range in one call per listing: Ozon's listings page by cursor with no offset cap, and the
        adapter cuts the range into the longest windows Ozon accepts. Every listing is read at once, so one is
        read while another is written. gather, not a TaskGroup: the first error must reach the caller as itself
        (OzonKeyInvalid …), not wrapped in an ExceptionGroup."""
        since, to = bounds(self.run_state.date_from, self.run_state.date_to)
        reached = [0.0] * len(source.listings)  # share of the range each listing has covered

        def percent(index: int) -> Callable[[list[Any]], dict[str, int]]:
            def of(batch: list[Any]) -> dict[str, int]:
                if source.moment is None:
                    return {}
                moments = [m for p in batch if (m := source.moment(p)) is not None]
                if moments:
                    reached[index] = min(1.0, max(reached[index], (max(moments) - since) / (to - since)))
                return {"percent": span.at(sum(reached) / len(reached))}
            return of

        tasks = [asyncio.ensure_future(self._in_batches(listing(self.api, since, to), source, percent(i)))
                 for i, listing in enumerate(source.listings)]
        try:
            await asyncio.gather(*tasks)
        finally:
            for task in tasks:
                task.cancel()

    async def _in_batches(self, stream: AsyncIterator[Sequence[Any]], source: RangeSource,
                          percent: Callable[[list[Any]], dict[str, int]]) -> None:
        buffer: list[Any] = []
        async for batch in read_ahead(stream):
            buffer += batch
            if len(buffer) >= _BATCH:
                taken, buffer = buffer, []
                await self.save(_bind(source, self.shop.id, taken), **percent(taken))
        if buffer:
            await self.save(_bind(source, self.shop.id, buffer), **percent(buffer))

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

        await self.save(write, status=SyncStatus.DONE, percent=100, step="Готово", finished_at=now)


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


def _bind(source: RangeSource, shop_id: uuid.UUID, batch: list[Any]) -> Callable[[Any], Awaitable[None]]:
    return lambda uow: source.write(uow, shop_id, batch)
