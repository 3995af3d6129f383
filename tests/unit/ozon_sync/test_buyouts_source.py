"""«Выкупы Озоном» as a sync source (issue 11): the API gives no date per line, so a window with lines is asked day
by day and each line is dated by its day; a line repeated (in an answer or across days) is one line and flagged; a
line only the window's answer gave is put on the window's last day and flagged; an empty window costs one request.
An interrupted run resumes after the last window written, and the lines written equal the sandbox's ground truth.
The source runs through the real bootstrap on in-memory fakes against an in-process sandbox seller."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from stpulse.adapters.sandbox.ozon.ground_truth import ground_truth
from stpulse.application.ozon import buyouts as source_module
from stpulse.application.ozon.buyouts import BuyoutSource, fetch_window, windows
from stpulse.application.ozon.records import BuyoutRow
from stpulse.application.ozon.sources import SOURCES
from stpulse.application.ozon.sync import sync_shop
from stpulse.application.ozon.sync_ports import SyncKind, SyncStatus
from stpulse.domain.ledger.articles import BUYOUTS
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
from tests.sandbox_shop import connect, new_actor, ozon_factory, sandbox_app, world_of

D1, D3, LAST = dt.date(2026, 7, 1), dt.date(2026, 7, 3), dt.date(2026, 7, 4)


def row(posting: str, sku: int, amount: int) -> BuyoutRow:
    return BuyoutRow(posting_number=posting, sku=sku, offer_id=f"A{sku}", name="", quantity=1,
                     seller_price_per_instance=amount, buyout_price=amount, amount=amount,
                     deduction_by_category_percent=Decimal(0), vat_percent=0)


class Answers:
    """Ozon's answers by asked range; counts the requests."""

    def __init__(self, by_range: dict[tuple[dt.date, dt.date], list[BuyoutRow]]) -> None:
        self.by_range, self.asked = by_range, []  # type: list[tuple[dt.date, dt.date]]

    async def products_buyout(self, date_from: dt.date, date_to: dt.date) -> list[BuyoutRow]:
        self.asked.append((date_from, date_to))
        return self.by_range.get((date_from, date_to), [])


async def test_a_window_with_lines_is_dated_day_by_day_and_every_line_counts_once():
    a, b, d = row("1-1", 10, 100_00), row("2-1", 20, 250_00), row("4-1", 40, 70_00)
    api = Answers({(D1, LAST): [a, b, a, d], (D1, D1): [a], (D3, D3): [b, a]})
    window = [D1 + dt.timedelta(days=i) for i in range(4)]
    found = {(x.row.posting_number, x.row.sku): x for x in await fetch_window(api, window)}  # type: ignore[arg-type]
    assert sorted(found) == [("1-1", 10), ("2-1", 20), ("4-1", 40)]  # «1-1» sent three times: one line
    assert sum(x.row.amount for x in found.values()) == 420_00
    assert found[("2-1", 20)].day == D3 and found[("2-1", 20)].anomalies == ()
    assert any("повторно" in reason for reason in found[("1-1", 10)].anomalies)
    assert found[("4-1", 40)].day == LAST and "ни в одном ответе за день" in found[("4-1", 40)].anomalies[0]
    assert len(api.asked) == 1 + 4


async def test_an_empty_window_costs_one_request():
    api = Answers({})
    assert await fetch_window(api, [D1, D3]) == []  # type: ignore[arg-type]
    assert api.asked == [(D1, D3)]


def test_windows_never_cross_a_month_nor_exceed_31_days():
    cut = windows(dt.date(2026, 1, 15), dt.date(2026, 3, 2))
    assert [(w[0], w[-1]) for w in cut] == [(dt.date(2026, 1, 15), dt.date(2026, 1, 31)),
                                           (dt.date(2026, 2, 1), dt.date(2026, 2, 28)),
                                           (dt.date(2026, 3, 1), dt.date(2026, 3, 2))]


class WorkerDied(BaseException):
    """Not an Exception: the sync cannot mark its run failed, as when a worker is killed."""


@pytest.fixture
async def seller(tmp_path):  # type: ignore[no-untyped-def]
    app = sandbox_app([("710077", "key-710077", 43, "medium")])
    uow = memory_uow_factory()
    clock = FixedClock(dt.datetime(2026, 9, 12, 9, 0, tzinfo=dt.UTC))
    container = bootstrap(Settings(data_dir=tmp_path), uow=uow, clock=clock, mailer=MemoryMailer(),
                          hasher=PlainHasher(), storage=MemoryStorage(), secrets=ReverseBox(), markdown=EchoMarkdown(),
                          jobs=RecordingQueue(), ozon=ozon_factory(app))
    actor = await new_actor(container.deps, "buyouts@example.ru")
    shop_id = await connect(container.deps, actor, "710077", "key-710077", "Выкупы")
    return {"deps": container.deps, "shop_id": shop_id, "store": uow.store, "clock": clock,
            "world": world_of(app, "710077")}


async def test_an_interrupted_run_resumes_after_the_last_window_written(seller, monkeypatch):  # type: ignore[no-untyped-def]
    first, last = dt.date(2026, 6, 1), dt.date(2026, 8, 31)
    only = tuple(s for s in SOURCES if isinstance(s, BuyoutSource))
    assert len(only) == 1
    fetched: list[dt.date] = []
    real = source_module.fetch_window

    async def dies_on_the_second_window(api, window):  # type: ignore[no-untyped-def]
        fetched.append(window[0])
        if len(fetched) == 2:
            raise WorkerDied
        return await real(api, window)

    monkeypatch.setattr(source_module, "fetch_window", dies_on_the_second_window)
    with pytest.raises(WorkerDied):
        await sync_shop(seller["deps"], seller["shop_id"], SyncKind.CLI, date_from=first, date_to=last, sources=only)
    async with seller["deps"].uow() as uow:
        run = await uow.sync_runs.latest(seller["shop_id"])
    assert run is not None and run.status == SyncStatus.RUNNING and run.buyouts_through == dt.date(2026, 6, 30)

    fetched.clear()
    monkeypatch.setattr(source_module, "fetch_window", lambda api, window: fetched.append(window[0]) or real(api, window))
    seller["clock"].advance(seconds=seller["deps"].sync.stale_seconds + 1)
    resumed = await sync_shop(seller["deps"], seller["shop_id"], SyncKind.CLI, sources=only)  # takes the run over
    assert resumed is not None and resumed.id == run.id and resumed.status == SyncStatus.DONE, resumed
    assert fetched == [dt.date(2026, 7, 1), dt.date(2026, 8, 1)]  # June is not asked again

    facts, world = seller["store"].facts, seller["world"]
    truth = ground_truth(world, first, last)
    stored = [b for (shop, _, _), b in facts.buyouts.items() if shop == seller["shop_id"]]
    assert sum(b.row.amount for b in stored) == truth.buyout_amount > 0
    assert sum(b.row.quantity for b in stored) == truth.buyout_units
    for month in (dt.date(2026, 6, 1), dt.date(2026, 7, 1), dt.date(2026, 8, 1)):
        end = (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        rolled = sum(a for (shop, m, _, article), (a, _) in facts.monthly.items()
                     if shop == seller["shop_id"] and m == month and article == BUYOUTS)
        assert rolled == ground_truth(world, month, end).buyout_amount, month
