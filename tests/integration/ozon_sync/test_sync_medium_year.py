"""Acceptance 1: a 12-month sync of the medium sandbox shop into an empty PostgreSQL database equals the
sandbox's ground truth per month and type to the kopeck; counts of postings, returns, products, stock rows equal."""

from __future__ import annotations

from collections import defaultdict

import pytest

from stpulse.application.ozon.sources import SOURCES
from stpulse.application.ozon.sync_ports import SyncStatus
from stpulse.application.ozon.sync_steps import spans
from stpulse.domain.ledger.articles import BUYOUTS
from tests.integration.ozon_sync import helpers as h

pytestmark = pytest.mark.timeout(2400)  # the run's first user of the medium year syncs it: minutes on a busy machine


@pytest.fixture(scope="module")
async def synced(medium_year):  # type: ignore[no-untyped-def]
    """The year's sync (tests/integration/medium_year.py: every source, into an empty database) in a copy of its own."""
    name, pg_url = medium_year.copy("stpulse_sync")
    try:
        yield {"pg": pg_url, "shop": medium_year.shop, "world": medium_year.world, "run": medium_year.run,
               "elapsed": medium_year.elapsed, "progress": medium_year.progress}
    finally:
        medium_year.drop(name)


async def test_year_totals_per_month_and_type_equal_ground_truth(synced):  # type: ignore[no-untyped-def]
    run = synced["run"]
    assert run.status == SyncStatus.DONE, run.error
    print(f"\n12-month medium sync: {run.lines} lines in {synced['elapsed']:.1f} s "
          f"({run.lines / synced['elapsed']:.0f} lines/s), {run.requests} requests")
    truth = h.truth_by_month(synced["world"], h.YEAR_FROM, h.YEAR_TO)
    rows = await h.fetch(synced["pg"], "SELECT date_trunc('month', date)::date AS m, component, type_id, "
                                       "sum(amount) AS s, count(*) AS n FROM accrual_lines WHERE shop_id = $1 "
                                       "GROUP BY 1, 2, 3", synced["shop"])
    by_type, by_component, total, lines = defaultdict(dict), defaultdict(dict), defaultdict(int), defaultdict(int)
    for r in rows:
        if r["component"] == "service":
            by_type[r["m"]][r["type_id"]] = int(r["s"])
        by_component[r["m"]][r["component"]] = by_component[r["m"]].get(r["component"], 0) + int(r["s"])
        total[r["m"]] += int(r["s"])
        lines[r["m"]] += r["n"]
    assert set(total) == set(truth)
    for month, gt in truth.items():
        assert by_type[month] == {t: v for t, v in gt.by_type.items()}, month
        assert by_component[month] == dict(gt.by_component), month
        assert total[month] == gt.total and lines[month] == gt.n_lines, month
    assert run.lines == sum(gt.n_lines for gt in truth.values())


async def test_progress_only_moves_forward_and_moves_during_every_long_step(synced):  # type: ignore[no-untyped-def]
    progress = synced["progress"]
    percents = [p for p, _ in progress]
    assert percents == sorted(percents) and percents[-1] == 100
    assert progress[-1][1] == "Готово"
    accruals = {p for p, step in progress if step.startswith("Начисления")}
    postings = {p for p, step in progress if step.startswith("Отправления")}
    bar = dict(zip((s.code for s in SOURCES), spans(SOURCES), strict=True))
    assert len(accruals) > 20 and max(accruals) <= bar["accruals"].end  # a bar that moves day by day through the accruals
    assert min(postings) == bar["postings"].start and len(postings) > 10 and max(postings) <= bar["postings"].end
    buyouts = [(p, step) for p, step in progress if step.startswith("Выкупы Озоном")]
    assert len({step for _, step in buyouts}) >= 13  # «с …», then month by month through the buyouts
    assert min(p for p, _ in buyouts) >= bar["buyouts"].start


async def test_rollups_add_up_to_ground_truth_per_month(synced):  # type: ignore[no-untyped-def]
    truth = h.truth_by_month(synced["world"], h.YEAR_FROM, h.YEAR_TO)
    monthly = await h.fetch(synced["pg"], "SELECT month, sum(amount) AS s FROM sku_monthly_rollups "
                                          "WHERE shop_id = $1 GROUP BY month", synced["shop"])
    daily = await h.fetch(synced["pg"], "SELECT date_trunc('month', day)::date AS m, sum(amount) AS s "
                                        "FROM sku_daily_rollups WHERE shop_id = $1 GROUP BY 1", synced["shop"])
    # every accrual and, on their own article, the goods Ozon bought out (issue 11)
    assert {r["month"]: int(r["s"]) for r in monthly} == {m: gt.total + gt.buyout_amount for m, gt in truth.items()}
    assert {r["m"]: int(r["s"]) for r in daily} == {m: gt.total + gt.buyout_amount for m, gt in truth.items()}
    bought = await h.fetch(synced["pg"], "SELECT month, sum(amount) AS s FROM sku_monthly_rollups "
                                         "WHERE shop_id = $1 AND article = $2 GROUP BY month", synced["shop"], BUYOUTS)
    assert {r["month"]: int(r["s"]) for r in bought} == {m: gt.buyout_amount for m, gt in truth.items()}


async def test_counts_of_postings_returns_products_and_stock_equal(synced):  # type: ignore[no-untyped-def]
    gt = h.ground_truth(synced["world"], h.YEAR_FROM, h.YEAR_TO)
    counts = {}
    for table in ("ozon_postings", "ozon_returns", "ozon_products", "ozon_stock_snapshots", "ozon_raw_days"):
        counts[table] = (await h.fetch(synced["pg"], f"SELECT count(*) AS n FROM {table} WHERE shop_id = $1",
                                       synced["shop"]))[0]["n"]
    schemes = await h.fetch(synced["pg"], "SELECT scheme, count(*) AS n FROM ozon_postings WHERE shop_id = $1 "
                                          "GROUP BY scheme", synced["shop"])
    assert {r["scheme"]: r["n"] for r in schemes} == {"FBO": gt.postings_fbo, "FBS": gt.postings_fbs}
    assert counts["ozon_returns"] == gt.returns
    assert counts["ozon_products"] == gt.products
    fbo = (await h.fetch(synced["pg"], "SELECT count(*) AS n FROM ozon_stock_snapshots WHERE shop_id = $1 "
                                       "AND cluster_name <> 'FBS'", synced["shop"]))[0]["n"]
    assert fbo == gt.stock_rows  # the FBO rows of /v1/analytics/stocks; the seller's own (FBS) stock rows come beside
    assert counts["ozon_raw_days"] == 2 * ((h.YEAR_TO - h.YEAR_FROM).days + 1)  # the accruals' and the buyouts'


async def test_unmapped_types_are_recorded_for_the_admin_queue(synced):  # type: ignore[no-untyped-def]
    rows = await h.fetch(synced["pg"], "SELECT type_id, lines, first_seen, last_seen FROM ozon_unmapped_types "
                                       "WHERE shop_id = $1", synced["shop"])
    gt = h.ground_truth(synced["world"], h.YEAR_FROM, h.YEAR_TO)
    assert 133 in {r["type_id"] for r in rows}  # the sandbox's "new" type, absent from the mapping
    assert all(r["lines"] > 0 and r["first_seen"] <= r["last_seen"] for r in rows)
    assert 133 in gt.by_type


async def test_order_months_equal_the_posting_lines_after_the_sync(synced):  # type: ignore[no-untyped-def]
    """ozon_order_months after a year written in batches through the sync = a GROUP BY of the posting lines."""
    cancelled = "status LIKE 'cancelled%'"
    lines = await h.fetch(synced["pg"], (
        "SELECT CAST(date_trunc('month', created_day) AS date) AS month, sku, sum(quantity) AS q, "
        f"sum(quantity * price) AS a, sum(CASE WHEN {cancelled} THEN quantity ELSE 0 END) AS cq, "
        f"sum(CASE WHEN {cancelled} THEN quantity * price ELSE 0 END) AS ca FROM ozon_posting_items "
        "WHERE shop_id = $1 GROUP BY 1, 2"), synced["shop"])
    sums = await h.fetch(synced["pg"], "SELECT month, sku, ordered_units AS q, ordered_amount AS a, "
                         "cancelled_units AS cq, cancelled_amount AS ca FROM ozon_order_months WHERE shop_id = $1",
                         synced["shop"])
    assert len(lines) > 1000 and sum(r["cq"] for r in lines) > 0
    assert sorted(tuple(r.values()) for r in sums) == sorted(tuple(r.values()) for r in lines)
