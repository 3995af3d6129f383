"""The registry of sync sources: a toy source is one entry — the sync fetches it, writes it in a transaction with
the run's progress, and gives it a slice of the bar by its weight; the accrual type names are read once a day.
Runs through the real bootstrap on in-memory fakes against an in-process sandbox seller."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from stpulse.application.ozon.records import AccrualType
from stpulse.application.ozon.sources import SOURCES, SnapshotSource, Span
from stpulse.application.ozon.sync import sync_shop
from stpulse.application.ozon.sync_ports import SyncKind, SyncStatus
from stpulse.application.ozon.sync_steps import spans
from stpulse.entrypoints.bootstrap import bootstrap
from stpulse.entrypoints.settings import Settings
from tests.fakes import (
    EchoMarkdown,
    FixedClock,
    MemoryMailer,
    MemoryStorage,
    PlainHasher,
    RecordingQueue,
    ReverseBox,
)
from tests.fakes_uow import memory_uow_factory
from tests.sandbox_shop import connect, new_actor, ozon_factory, sandbox_app

DAY = dt.date(2026, 9, 10)
SELLER = ("710002", "key-710002", 12, "small")


@pytest.fixture
async def world(tmp_path):  # type: ignore[no-untyped-def]
    app = sandbox_app([SELLER])
    uow = memory_uow_factory()
    clock = FixedClock(dt.datetime(2026, 9, 12, 9, 0, tzinfo=dt.UTC))
    container = bootstrap(Settings(data_dir=tmp_path), uow=uow, clock=clock, mailer=MemoryMailer(),
                          hasher=PlainHasher(), storage=MemoryStorage(), secrets=ReverseBox(), markdown=EchoMarkdown(),
                          jobs=RecordingQueue(), ozon=ozon_factory(app))
    actor = await new_actor(container.deps, "sources@example.ru")
    shop_id = await connect(container.deps, actor, SELLER[0], SELLER[1], "Источники")
    return {"deps": container.deps, "shop_id": shop_id, "store": uow.store, "clock": clock}


async def test_a_toy_source_is_one_entry_fetched_written_and_counted(world):  # type: ignore[no-untyped-def]
    written: list[tuple[Any, list[Any]]] = []

    async def write(uow: Any, job: Any, prices: list[Any]) -> None:
        written.append((uow, prices))

    async def fetch(job: Any) -> list[Any]:
        return await job.api.prices()

    toy = SnapshotSource(code="prices", step="Цены", weight=50, fetch=fetch, write=write)
    sources = (*SOURCES, toy)
    seen: list[tuple[int, str]] = []
    run = await sync_shop(world["deps"], world["shop_id"], SyncKind.CLI, date_from=DAY, date_to=DAY,
                          progress=lambda percent, step: seen.append((percent, step)), sources=sources)
    assert run is not None and run.status == SyncStatus.DONE, run
    assert len(written) == 1 and written[0][1] and written[0][0] is not None  # fetched, written in a unit of work
    toy_span = spans(sources)[-1]
    total = sum(s.weight for s in sources)
    assert toy_span.end - toy_span.start == pytest.approx(100 * 50 / total, abs=1)  # its weight is its slice
    assert (toy_span.start, "Цены") in seen  # counted in the progress …
    percents = [p for p, _ in seen]
    assert percents == sorted(percents) and percents[-1] == 100  # … which never goes back


def test_spans_follow_the_weights_without_gaps():
    found = spans(SOURCES)
    assert found[0].start == 0 and found[-1].end == 100
    assert all(a.end == b.start for a, b in zip(found, found[1:], strict=False))
    accruals, postings = found[0], found[1]
    assert (accruals.end - accruals.start) / (postings.end - postings.start) == pytest.approx(
        SOURCES[0].weight / SOURCES[1].weight, rel=0.05)
    assert Span(10, 20).at(0.5) == 15 and Span(10, 20).at(2.0) == 20


async def test_accrual_type_names_are_read_once_a_moscow_day(world):  # type: ignore[no-untyped-def]
    deps, store = world["deps"], world["store"]
    await sync_shop(deps, world["shop_id"], SyncKind.CLI, date_from=DAY, date_to=DAY)
    assert store.facts.accrual_types[1] == (AccrualType(id=1, name="Acquiring", description="Эквайринг"),
                                            dt.date(2026, 9, 12))
    store.facts.accrual_types[1] = (AccrualType(id=1, name="mark", description="mark"), dt.date(2026, 9, 12))
    await sync_shop(deps, world["shop_id"], SyncKind.CLI, date_from=DAY, date_to=DAY)
    assert store.facts.accrual_types[1][0].name == "mark"  # fetched today already: not asked again
    world["clock"].advance(days=1)
    await sync_shop(deps, world["shop_id"], SyncKind.CLI, date_from=DAY, date_to=DAY)
    assert store.facts.accrual_types[1][1] == dt.date(2026, 9, 13)  # a new Moscow day: read again


async def test_a_week_of_settlement_is_saved_without_a_transaction_per_day(world):  # type: ignore[no-untyped-def]
    """An hourly sync reads a week: the realization days come in one save (not one a day), and the sources that
    write as they read (write=None) leave no save of their own after their fetch; every day is still stored."""
    steps: list[str] = []
    first = DAY - dt.timedelta(days=6)
    run = await sync_shop(world["deps"], world["shop_id"], SyncKind.CLI, date_from=first, date_to=DAY,
                          progress=lambda percent, step: steps.append(step))
    assert run is not None and run.status == SyncStatus.DONE, run
    assert [s for s in steps if s.startswith("Реализация")] == ["Реализация по дням", "Реализация по 10.09.2026"]
    stored = world["store"].settlement["days"]
    assert sorted(day for shop, day in stored if shop == world["shop_id"]) == [
        first + dt.timedelta(days=i) for i in range(7)]
    balances = steps.index("Баланс Ozon")
    assert steps[balances:balances + 3] == ["Баланс Ozon", "Баланс Ozon по 10.09.2026", "Сверка с Ozon"]
