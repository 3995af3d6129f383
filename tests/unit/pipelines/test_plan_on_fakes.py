"""План on in-memory fakes through the real bootstrap: a synced sandbox seller, targets by form and by xlsx.

The fact of every month is ОПиУ's own figure; a closed month's forecast is its fact; the running month's forecast
equals a hand computation from the rollups by day; a bad targets file is refused by row and writes nothing; a
good one round-trips through the export."""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict

import pytest
import xlsxwriter

from stpulse.adapters.xlsx.costs import CalamineCostSheetReader
from stpulse.application.costs.cogs_import import SpreadsheetRejected
from stpulse.application.ozon.sync import sync_shop
from stpulse.application.ozon.sync_ports import SyncKind
from stpulse.application.planning import plan_targets as plan
from stpulse.application.reports.views import ReportRequest, build_report
from stpulse.domain.kernel.errors import ValidationError
from stpulse.domain.ledger.articles import BUYOUTS, RETURNS, REVENUE
from stpulse.domain.reports.table import Highlight
from stpulse.entrypoints.bootstrap import bootstrap
from stpulse.entrypoints.settings import Settings
from stpulse.entrypoints.web.planning.pages import _xlsx
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

SELLER = ("720001", "key-720001", 12, "small")
NOW = dt.datetime(2026, 9, 16, 9, 0, tzinfo=dt.UTC)  # 12:00 in Moscow: the data runs to 15 September
READER = CalamineCostSheetReader(isolated=False)


@pytest.fixture(scope="module")
async def seller(tmp_path_factory):  # type: ignore[no-untyped-def]
    app = sandbox_app([SELLER])
    uow = memory_uow_factory()
    container = bootstrap(Settings(data_dir=tmp_path_factory.mktemp("plan")), uow=uow, clock=FixedClock(NOW),
                          mailer=MemoryMailer(), hasher=PlainHasher(), storage=MemoryStorage(), secrets=ReverseBox(),
                          markdown=EchoMarkdown(), jobs=RecordingQueue(), ozon=ozon_factory(app))
    deps = container.deps
    actor = await new_actor(deps, "plan@example.ru")
    shop_id = await connect(deps, actor, SELLER[0], SELLER[1], "План")
    await sync_shop(deps, shop_id, SyncKind.CLI, date_from=dt.date(2026, 6, 1), date_to=dt.date(2026, 9, 15))
    world = world_of(app, SELLER[0])
    yield {"deps": deps, "actor": actor, "shop_id": shop_id, "world": world, "store": uow.store}
    await container.close()


def _req(shop_id, first="2026-08", last="2026-09"):  # type: ignore[no-untyped-def]
    return ReportRequest(shop_ids=(shop_id,), month_from=first, month_to=last)


async def _set(s, **fields) -> None:  # type: ignore[no-untyped-def]
    await plan.save_target(s["deps"], s["actor"], plan.PlanForm(shop_id=str(s["shop_id"]), **fields))


async def test_the_fact_is_opiu_and_a_closed_month_forecasts_its_fact(seller):
    s = seller
    await _set(s, month="2026-08", revenue="100 000", units="50", profit="1", ad_budget="1000000", drr="5")
    view = await build_report(s["deps"], s["actor"], "plan", _req(s["shop_id"]))
    pnl = (await build_report(s["deps"], s["actor"], "pnl", _req(s["shop_id"], "2026-08", "2026-08"))).table
    unit = (await build_report(s["deps"], s["actor"], "unit", _req(s["shop_id"], "2026-08", "2026-08"))).table
    t = view.table
    revenue = t.row("679:shop:revenue")  # August 2026: month 679 counted from 1970-01
    assert revenue.values[0] == 100_000_00
    assert revenue.values[1] == pnl.row("net_revenue").values[0] != 0
    assert revenue.values[3] == revenue.values[1]  # a closed month: forecast = fact
    assert revenue.values[2] == round(revenue.values[1] * 10_000 / 100_000_00)
    assert t.row("679:shop:profit").values[1] == pnl.row("net_profit").values[0]
    units = [c.code for c in unit.columns].index
    total = unit.row("total").values
    assert t.row("679:shop:units").values[1] == (total[units("sold_units")] + total[units("bought_out_units")]
                                                    - total[units("returned_units")])
    ads = -(pnl.row("ozon:promotion").values[0] or 0) - (pnl.row("external_ads").values[0] or 0)
    assert t.row("679:shop:ad_budget").values[1] == ads
    assert t.row("679:shop:ad_budget").marks[3] is Highlight.GOOD  # spent less than the budget


async def test_the_running_month_forecast_is_the_run_rate_by_weekday(seller):
    s = seller
    await _set(s, month="2026-09", revenue="1")
    t = (await build_report(s["deps"], s["actor"], "plan", _req(s["shop_id"]))).table
    row = t.row("680:shop:revenue")
    # by hand from the rollups by day: 8 weeks before 1 September for the weekday profile, 1–15 September so far
    by_day: dict[dt.date, int] = defaultdict(int)
    for (shop, day, sku, article), (amount, _) in s["store"].facts.daily.items():
        if shop == s["shop_id"] and sku > 0 and article in (REVENUE, RETURNS, BUYOUTS):
            by_day[day] += amount
    first = dt.date(2026, 9, 1)
    history = [first - dt.timedelta(days=k) for k in range(1, 57)]
    means = [sum(by_day[d] for d in history if d.weekday() == w) / 8 for w in range(7)]
    weight = [m / (sum(means) / 7) for m in means]
    so_far = [first + dt.timedelta(days=k) for k in range(15)]
    left = [first + dt.timedelta(days=k) for k in range(15, 30)]
    done = sum(by_day[d] for d in so_far)
    extra = done / sum(weight[d.weekday()] for d in so_far) * sum(weight[d.weekday()] for d in left)
    assert row.values[3] == done + round(extra)
    assert row.values[1] == done  # the fact so far is the month to the 15th
    assert row.marks[3] is Highlight.GOOD  # ahead of a 1-rouble target


async def test_a_sku_target_shows_its_own_sales(seller):
    s = seller
    offer = s["world"].catalog.offer_id(0)
    await _set(s, month="2026-08", offer_id=offer, units="1000000")
    t = (await build_report(s["deps"], s["actor"], "plan", _req(s["shop_id"]))).table
    rows = [r for r in t.rows if r.label.startswith(f"{offer} · ")]
    assert [r.label for r in rows] == [f"{offer} · Продажи, шт"]
    assert rows[0].marks[3] is Highlight.LOSS  # a million units: behind plan, in red


async def test_a_bad_form_says_what_is_wrong_next_to_each_field(seller):
    s = seller
    with pytest.raises(ValidationError) as err:
        await _set(s, month="сентябрь", offer_id="нет-такого", revenue="-5", units="2,5", drr="много")
    assert set(err.value.fields) == {"month", "offer_id", "revenue", "units", "drr"}
    assert "не найден" in err.value.fields["offer_id"]


def _file(rows) -> bytes:  # type: ignore[no-untyped-def]
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    sheet = book.add_worksheet()
    for i, row in enumerate(rows):
        for j, v in enumerate(row):
            if v is not None:
                sheet.write(i, j, v)
    book.close()
    return buf.getvalue()


async def test_a_bad_targets_file_is_refused_by_row_and_writes_nothing(seller):
    s = seller
    deps, actor = s["deps"], s["actor"]
    before = await plan.list_targets(deps, actor, dt.date(2000, 1, 1), dt.date(2100, 1, 1))
    offer = s["world"].catalog.offer_id(1)
    issues, written = await plan.import_targets(deps, actor, _file([
        plan.HEADERS,
        ["2026-10", "План", offer, 500_000, 100, 50_000, 10_000, 5],  # a good row: still not written
        ["2026-10", "План", "нет-такого", 1, None, None, None, None],
        ["2026-10", "План", "", -100, None, None, None, None],
        ["2026-10", "План", offer, "сто тысяч", None, None, None, None],
        ["2026-10", "Чужой магазин", "", 1, None, None, None, None],
        ["2026-10", "План", offer, 1, None, None, None, None],  # the same month, shop and offer as row 2
    ]), READER)
    assert written == 0
    assert {i.row for i in issues} == {3, 4, 5, 6, 7}
    text = " ".join(i.message for i in issues)
    assert "не найден" in text and "отрицательная" in text and "вместо числа" in text and "повтор строки 2" in text
    wrong_head, _ = await plan.import_targets(deps, actor, _file([["Месяц", "Выручка"]]), READER)
    assert wrong_head[0].row == 1 and "Нужны столбцы" in wrong_head[0].message
    with pytest.raises(SpreadsheetRejected):
        await plan.import_targets(deps, actor, b"not an xlsx at all", READER)
    assert await plan.list_targets(deps, actor, dt.date(2000, 1, 1), dt.date(2100, 1, 1)) == before


async def test_a_good_file_round_trips_through_the_export(seller):
    s = seller
    deps, actor = s["deps"], s["actor"]
    offer = s["world"].catalog.offer_id(2)
    issues, written = await plan.import_targets(deps, actor, _file([
        plan.HEADERS,
        ["2026-11", "План", "", 1_234_567.89, 300, 150_000.5, 20_000, "7,5"],
        ["2026-11", "План", offer, 10_000, 20, None, None, None],
    ]), READER)
    assert (issues, written) == ([], 2)
    first, last = dt.date(2026, 11, 1), dt.date(2026, 11, 30)
    records, shops = await plan.list_targets(deps, actor, first, last)
    shop = next(r for r in records if not r.offer_id)
    assert (shop.revenue, shop.units, shop.profit, shop.ad_budget, shop.drr_bp) == (1_234_567_89, 300, 150_000_50,
                                                                                    20_000_00, 750)
    exported = _xlsx(plan.export_rows(records, shops))
    issues, written = await plan.import_targets(deps, actor, exported, READER)
    assert (issues, written) == ([], 2)
    again, _ = await plan.list_targets(deps, actor, first, last)
    assert [(r.offer_id, r.revenue, r.units, r.profit, r.ad_budget, r.drr_bp) for r in again] == \
        [(r.offer_id, r.revenue, r.units, r.profit, r.ad_budget, r.drr_bp) for r in records]
