"""The core pipelines on in-memory fakes, through the real bootstrap: `sync_shop` loads a sandbox seller (served
in-process over httpx's ASGI transport), then ОПиУ, Юнитка and the drill-down read what it wrote — checked against
the sandbox's own ground truth to the kopeck. No network, no PostgreSQL, no Redis."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import msgspec
import pytest

from stpulse.adapters.sandbox.ozon.recon_truth import recon_month
from stpulse.application.accounts.legal_entities import LegalEntityForm, add_legal_entity
from stpulse.application.costs.cost_book import CostForm, save_cost
from stpulse.application.ozon.sync import sync_shop
from stpulse.application.ozon.sync_ports import SyncKind, SyncStatus
from stpulse.application.reports.cache import TABLES
from stpulse.application.reports.drill import drill_down
from stpulse.application.reports.views import ReportRequest, build_report
from stpulse.domain.reports.drill import DrillFilter, DrillView
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
from tests.money_truth import check_pnl, expected
from tests.sandbox_shop import connect, ground_truth, new_actor, ozon_factory, sandbox_app, world_of

FIRST, LAST = dt.date(2026, 7, 1), dt.date(2026, 8, 31)
MONTHS = ["2026-07", "2026-08"]
SELLER = ("710001", "key-710001", 11, "small")
COSTED = 25  # of the 30 SKUs of a small seller; the other 5 are sold without a cost
CHANGE = dt.date(2026, 8, 15)  # mid-month: that month's sales of those SKUs are read by day
EARLY = dt.date(2026, 7, 10)  # and a July change for every third SKU: two months by day, some SKUs in both


def cost_on(index: int, day: dt.date) -> int | None:
    if not 0 <= index < COSTED:
        return None
    if index % 3 == 0 and EARLY <= day < CHANGE:
        return 5_500 + index * 50
    return (5_000 + index * 50) if day < CHANGE else (6_000 + index * 50)


@pytest.fixture(scope="module")
async def synced(tmp_path_factory):  # type: ignore[no-untyped-def]
    app = sandbox_app([SELLER])
    uow = memory_uow_factory()
    container = bootstrap(Settings(data_dir=tmp_path_factory.mktemp("pipelines")), uow=uow,
                          clock=FixedClock(dt.datetime(2026, 10, 1, 9, 0, tzinfo=dt.UTC)), mailer=MemoryMailer(),
                          hasher=PlainHasher(), storage=MemoryStorage(), secrets=ReverseBox(), markdown=EchoMarkdown(),
                          jobs=RecordingQueue(), ozon=ozon_factory(app))
    deps = container.deps
    actor = await new_actor(deps, "pipelines@example.ru")
    shop_id = await connect(deps, actor, SELLER[0], SELLER[1], "Сверка")
    run = await sync_shop(deps, shop_id, SyncKind.CLI, date_from=FIRST, date_to=LAST)
    world = world_of(app, SELLER[0])
    yield {"deps": deps, "actor": actor, "shop_id": shop_id, "run": run, "world": world, "store": uow.store}
    await container.close()


@pytest.fixture(scope="module")
async def costed(synced):  # type: ignore[no-untyped-def]
    """The seller's legal entity (УСН «доходы» 6 %) and cost prices with a mid-month change."""
    deps, actor, world = synced["deps"], synced["actor"], synced["world"]
    entity = await add_legal_entity(deps, actor, LegalEntityForm(kind="ip", name="ИП Сверка", inn="500100732259",
                                                                 tax_regime="usn_income", tax_rate_percent="6"))
    async with deps.uow() as uow:
        shop = await uow.shops.by_id(synced["shop_id"])
        await uow.shops.update(msgspec.structs.replace(shop, legal_entity_id=entity.id))
        await uow.commit()
    for k in range(COSTED):
        for day in (dt.date(2024, 1, 1), CHANGE) + ((EARLY,) if k % 3 == 0 else ()):
            await save_cost(deps, actor, CostForm(offer_id=world.catalog.offer_id(k), effective_from=f"{day:%d.%m.%Y}",
                                                  purchase=str(Decimal(cost_on(k, day) or 0) / 100)))
    return synced


async def test_sync_shop_stores_exactly_the_sandbox_facts(synced):  # type: ignore[no-untyped-def]
    run, facts = synced["run"], synced["store"].facts
    assert run is not None and run.status == SyncStatus.DONE, run
    gt = ground_truth(synced["world"], FIRST, LAST)
    lines = [x for key, x in facts.lines.items() if key[0] == synced["shop_id"]]
    assert (len(lines), sum(x.amount for x in lines)) == (gt.n_lines, gt.total)
    assert run.lines == gt.n_lines and run.percent == 100
    assert len(facts.postings) == gt.postings_fbo + gt.postings_fbs
    money = gt.total + gt.buyout_amount  # every accrual and the goods Ozon bought out (their own article)
    assert sum(a for a, _ in facts.daily.values()) == money == sum(a for a, _ in facts.monthly.values())
    assert sum(b.row.amount for b in facts.buyouts.values()) == gt.buyout_amount
    assert {m for _, m in facts.stamps} == {FIRST, dt.date(2026, 8, 1)}
    async with synced["deps"].uow() as uow:
        shop = await uow.shops.by_id(synced["shop_id"])
    assert (shop.synced_from, shop.synced_to, shop.status.value) == (FIRST, LAST, "active")


async def test_a_repeated_sync_changes_no_fact(synced):  # type: ignore[no-untyped-def]
    facts = synced["store"].facts
    tables = ("lines", "raw_days", "daily", "monthly", "postings", "returns", "products", "unmapped", "buyouts")
    before = {t: dict(getattr(facts, t)) for t in tables}
    run = await sync_shop(synced["deps"], synced["shop_id"], SyncKind.CLI, date_from=FIRST, date_to=LAST)
    assert run is not None and run.status == SyncStatus.DONE
    facts = synced["store"].facts
    assert {t: dict(getattr(facts, t)) for t in tables} == before


async def test_pnl_and_unit_economics_of_the_synced_shop_match_the_ground_truth(costed):  # type: ignore[no-untyped-def]
    deps, actor, world = costed["deps"], costed["actor"], costed["world"]
    TABLES.clear()
    req = ReportRequest(month_from=MONTHS[0], month_to=MONTHS[-1])
    view = await build_report(deps, actor, "pnl", req)
    assert view.table is not None and view.selected == (costed["shop_id"],)
    realized = [recon_month(world, dt.date.fromisoformat(m + "-01")).realized_sales for m in MONTHS]
    want = expected(world, list(world.accrual_lines(FIRST, LAST)), MONTHS, cost_on, tax_base=realized)
    check_pnl(msgspec.to_builtins(view.table)["rows"], want, ground_truth(world, FIRST, LAST).total)
    assert any("без себестоимости" in w for w in view.table.warnings)
    unit = (await build_report(deps, actor, "unit", req)).table
    assert unit is not None
    profit = [c.code for c in unit.columns].index("profit")
    net_profit = view.table.row("net_profit").total
    assert sum(r.values[profit] for r in unit.rows if r.code != "total") == net_profit
    assert unit.row("total").values[profit] == net_profit
    hits = TABLES.hits
    assert await build_report(deps, actor, "pnl", req) == view  # the fingerprint is stable: served from the cache
    assert TABLES.hits == hits + 1


async def test_drill_down_lists_exactly_the_lines_behind_a_pnl_row(costed):  # type: ignore[no-untyped-def]
    deps, actor, world = costed["deps"], costed["actor"], costed["world"]
    req = ReportRequest(month_from=MONTHS[0], month_to=MONTHS[-1])
    table = (await build_report(deps, actor, "pnl", req)).table
    lines = list(world.accrual_lines(FIRST, LAST))
    lines_view = DrillFilter(view=DrillView.LINES)
    revenue = await drill_down(deps, actor, "pnl", req, "revenue", None, 1, lines_view)
    assert revenue.total == sum(1 for x in lines if x.component.value == "sale" and x.amount >= 0)
    assert [(x.date, x.accrual_id, x.line_no) for x in revenue.lines] == sorted(
        (x.date, x.accrual_id, x.line_no) for x in lines if x.component.value == "sale" and x.amount >= 0)[:50]
    counts = {r.code: (await drill_down(deps, actor, "pnl", req, r.code, "2026-08", 1)).total
              for r in table.rows if r.drill and r.total}
    code = min((c for c, n in counts.items() if n), key=lambda c: counts[c])  # the row with fewest lines
    first = await drill_down(deps, actor, "pnl", req, code, "2026-08", 1, lines_view)
    pages = [first] + [await drill_down(deps, actor, "pnl", req, code, "2026-08", p, lines_view)
                       for p in range(2, first.pages + 1)]
    assert sum(x.amount for p in pages for x in p.lines) == table.row(code).values[1]
    assert sum(len(p.lines) for p in pages) == first.total


async def test_every_report_says_how_old_its_ozon_data_is(costed):  # type: ignore[no-untyped-def]
    """Issue 11: «Данные Ozon на …» from the last successful sync (FixedClock 09:00 UTC = 12:00 МСК): on the
    table the page renders, in its JSON and in its xlsx."""
    import io

    import openpyxl

    from stpulse.adapters.xlsx.reports import XlsxReportWriter

    deps, actor = costed["deps"], costed["actor"]
    want = "Данные Ozon на 01.10.2026 12:00 МСК"
    for code in ("pnl", "unit"):
        table = (await build_report(deps, actor, code, ReportRequest(month_from=MONTHS[0], month_to=MONTHS[-1]))).table
        assert table is not None and table.data_as_of == want
        assert msgspec.json.decode(msgspec.json.encode(table))["data_as_of"] == want
        sheet = openpyxl.load_workbook(io.BytesIO(XlsxReportWriter().write_table(table))).active
        assert want in [c for row in sheet.iter_rows(values_only=True) for c in row]
