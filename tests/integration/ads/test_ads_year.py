"""Acceptance 1 and 2 of issue 14: a medium sandbox seller with two ad accounts in one organisation and one in
another, 12 months. Spend per campaign, SKU and day equals the sandbox's ground truth to the kopeck; ОПиУ's
advertising (charged through accruals + «из рекламного кабинета») equals the total spend with no rouble twice;
the backfill never triggers a 429 while the sandbox enforces Ozon's limits (which it does: test_performance_sandbox)."""

from __future__ import annotations

from collections import defaultdict

import pytest

from stpulse.adapters.sandbox.ozon.http.app import performance_state
from stpulse.application.ads.keys import AddKey, add_key, list_keys
from stpulse.application.ads.sync import sync_ads
from stpulse.application.reports.views import ReportRequest, build_report
from stpulse.domain.reports.cube import AllocationRule
from stpulse.entrypoints.bootstrap import bootstrap
from stpulse.entrypoints.settings import Settings
from tests.fakes import FixedClock, PlainHasher, RecordingQueue
from tests.integration.ads.conftest import ACCOUNTS, NOW, performance_factory
from tests.integration.ozon_sync import helpers as h

pytestmark = pytest.mark.timeout(2400)  # the run's first user of the medium year syncs it: minutes on a busy machine


@pytest.fixture(scope="module")
async def synced(medium_year, tmp_path_factory):  # type: ignore[no-untyped-def]
    """The seller's year (tests/integration/medium_year.py: the Seller sync on the sandbox's today) in a copy of its
    own, then the three ad accounts' keys and their import."""
    name, ads_db = medium_year.copy("stpulse_ads")
    app = medium_year.app
    perf = performance_factory(app)
    settings = Settings(mode="production", database_url=ads_db, data_dir=tmp_path_factory.mktemp("ads"), log_json=True)
    container = bootstrap(settings, ozon=h.ozon_factory(app), performance=perf, jobs=RecordingQueue(),
                          hasher=PlainHasher(), clock=FixedClock(NOW))
    try:
        actor = await medium_year.actor(container.deps)
        shop_id = medium_year.shop
        for i, account in enumerate(ACCOUNTS):
            await add_key(container.deps, actor, shop_id, AddKey(
                label=f"Кабинет {i + 1}", organisation=account.organisation, client_id=account.client_id,
                client_secret=account.client_secret))
        results = await sync_ads(container.deps, shop_id)
        yield {"app": app, "perf": perf, "deps": container.deps, "actor": actor, "shop": shop_id, "results": results,
               "pg": ads_db}
    finally:
        await container.close()
        medium_year.drop(name)


def truth(app) -> tuple[dict, set[int]]:  # type: ignore[no-untyped-def]
    state = performance_state(app)
    rows: dict[tuple, int] = {}
    charged: set[int] = set()
    for account in ACCOUNTS:
        world = state.world(account)
        charged |= {c.id for c in world.campaigns if c.charged_via_accruals}
        for day, cid, sku, spend, *_ in world.rows(h.YEAR_FROM, h.YEAR_TO):
            rows[cid, sku, day] = spend
    return rows, charged


async def test_every_key_imports_the_year_without_a_single_429(synced):  # type: ignore[no-untyped-def]
    assert [r.ok for r in synced["results"]] == [True, True, True], synced["results"]
    assert performance_state(synced["app"]).counters.refusals_429 == 0
    assert synced["perf"].shared.stats.refusals_429 == 0
    assert max(synced["perf"].shared.slots.peak.values()) <= 2  # two accounts of one organisation at most
    keys = await list_keys(synced["deps"], synced["actor"], synced["shop"])
    assert {k.done_through for k in keys} == {h.YEAR_TO}


async def test_spend_per_campaign_sku_and_day_equals_the_ground_truth(synced):  # type: ignore[no-untyped-def]
    expected, _ = truth(synced["app"])
    rows = await h.fetch(synced["pg"], "SELECT campaign_id, sku, day, spend FROM ad_stats WHERE shop_id = $1",
                         synced["shop"])
    assert {(r["campaign_id"], r["sku"], r["day"]): r["spend"] for r in rows} == expected


async def test_pnl_counts_each_advertising_rouble_once(synced):  # type: ignore[no-untyped-def]
    expected, charged = truth(synced["app"])
    total = sum(expected.values())
    own = sum(v for (cid, _, _), v in expected.items() if cid not in charged)
    lines = await h.fetch(synced["pg"], "SELECT unit_number, sum(amount) AS s FROM accrual_lines WHERE shop_id = $1 "
                                        "AND component = 'service' AND sku IS NULL AND unit_number IS NOT NULL "
                                        "GROUP BY 1", synced["shop"])
    via_accruals = -sum(int(r["s"]) for r in lines if r["unit_number"].isdigit() and int(r["unit_number"]) in charged)
    view = await build_report(synced["deps"], synced["actor"], "pnl",
                              ReportRequest(month_from="2025-10", month_to="2026-09"))
    assert view.table is not None
    cabinet = -(view.table.row("external_ads").total or 0)
    assert cabinet == own > 0
    assert via_accruals + cabinet == total  # accrual-charged spend is in «продвижение», the rest once in «кабинет»
    by_month = defaultdict(int)
    for (cid, _, day), v in expected.items():
        if cid not in charged:
            by_month[day.strftime("%Y-%m")] += v
    ext = view.table.row("external_ads")
    assert {c.code: -(v or 0) for c, v in zip(view.table.columns, ext.values, strict=True)} == dict(by_month)


async def test_unit_economics_gets_the_cabinet_spend_per_sku(synced):  # type: ignore[no-untyped-def]
    """Юнитка with shop-level money not allocated: a SKU's «Реклама» is exactly its own cabinet spend (the
    accrual-charged promotion is shop-level and waits on «Не распределено»)."""
    expected, charged = truth(synced["app"])
    per_sku: dict[int, int] = defaultdict(int)
    for (cid, sku, _), spend in expected.items():
        if cid not in charged and sku:
            per_sku[sku] += spend
    view = await build_report(synced["deps"], synced["actor"], "unit",
                              ReportRequest(month_from="2025-10", month_to="2026-09", allocation=AllocationRule.NONE))
    assert view.table is not None
    column = [c.code for c in view.table.columns].index("advertising")
    shown = {int(r.code.split(":")[1]): -(r.values[column] or 0) for r in view.table.rows if r.code.count(":") == 1}
    assert {sku: shown.get(sku, 0) for sku in per_sku} == dict(per_sku)


async def test_the_ads_report_totals_the_spend(synced):  # type: ignore[no-untyped-def]
    expected, _ = truth(synced["app"])
    view = await build_report(synced["deps"], synced["actor"], "ads",
                              ReportRequest(month_from="2025-10", month_to="2026-09"))
    assert view.table is not None
    total = view.table.row("total")
    assert total.values[0] == sum(expected.values())
    assert sum(r.values[0] or 0 for r in view.table.rows if r.code != "total") == sum(expected.values())
