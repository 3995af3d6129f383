"""Issue 11, defects 4, 5 and 6 through the real sync against the sandbox: accruals Ozon dates on a neighbouring day
(also across a month end) and accruals repeated in an answer and across pages are stored once, on Ozon's date,
and the daily and monthly rollups the reports read hold each of them exactly once; a re-sync changes nothing.
Accruals in odd shapes (amounts as JSON numbers, `total_amount: null`, no `quantity`) count to the kopeck, and
what the adapter could not trust is in the «аномалии» list with the raw record."""

from __future__ import annotations

import datetime as dt

import pytest

from stpulse.adapters.sandbox.ozon import FaultConfig, SandboxConfig, ShopConfig, create_sandbox_app
from stpulse.adapters.sandbox.ozon.data_faults import faulty_ground_truth
from stpulse.application.ozon.sync import sync_shop
from stpulse.application.ozon.sync_ports import SyncKind, SyncStatus
from stpulse.domain.ledger.articles import BUYOUTS
from stpulse.entrypoints.ozon_wiring import ORIGIN_CACHE
from tests.integration.ozon_sync import helpers as h

CLIENT, KEY = "890011", "odd-key-890011"
FROM, TO = dt.date(2026, 7, 1), dt.date(2026, 8, 31)
FAULTS = FaultConfig(share_redated=0.03, share_repeated=0.02, share_odd=0.03, seed=5)


@pytest.fixture(scope="module")
async def synced(sync_db, tmp_path_factory):  # type: ignore[no-untyped-def]
    config = SandboxConfig(shops=[ShopConfig(client_id=CLIENT, api_key=KEY, seed=43, profile="medium")],
                           origin_cache_size=ORIGIN_CACHE, faults=FAULTS, accrual_page_size=300)
    app = create_sandbox_app(config)
    container = h.container_for(sync_db, tmp_path_factory.mktemp("odd"), h.ozon_factory(app))
    actor = await h.new_actor(container.deps, "odd@example.com")
    shop_id = await h.connect(container.deps, actor, CLIENT, KEY)
    run = await sync_shop(container.deps, shop_id, SyncKind.CLI, date_from=FROM, date_to=TO)
    yield {"app": app, "deps": container.deps, "shop_id": shop_id, "run": run}
    await container.close()


async def test_the_sync_finishes(synced):  # type: ignore[no-untyped-def]
    run = synced["run"]
    assert run is not None and run.status == SyncStatus.DONE, run


async def test_every_line_is_stored_once_on_ozons_date(synced, sync_db):  # type: ignore[no-untyped-def]
    world = h.world_of(synced["app"], CLIENT)
    # The first and last days asked for border days not asked for (their accruals re-dated in are not served).
    first, last = FROM + dt.timedelta(days=1), TO - dt.timedelta(days=1)
    for month in h.month_starts(first, last):
        low, high = max(month, first), min(h.month_end(month), last)
        truth = faulty_ground_truth(world, FAULTS, low, high)
        rows = await h.fetch(sync_db, "SELECT type_id, component, sum(amount) AS s, count(*) AS n FROM accrual_lines "
                                      "WHERE shop_id = $1 AND date BETWEEN $2 AND $3 GROUP BY 1, 2",
                             synced["shop_id"], low, high)
        by_type = {r["type_id"]: int(r["s"]) for r in rows if r["component"] == "service"}
        assert by_type == dict(truth.by_type), month
        assert sum(int(r["s"]) for r in rows) == truth.total and sum(r["n"] for r in rows) == truth.n_lines, month
    moved = await h.fetch(sync_db, "SELECT count(*) AS n FROM accrual_lines WHERE shop_id = $1 AND date = $2",
                          synced["shop_id"], FROM - dt.timedelta(days=1))
    assert moved[0]["n"] > 0  # 1 July's answer carried accruals of 30 June: kept on their date


async def test_what_the_adapter_could_not_trust_is_listed_with_the_raw_record(synced):  # type: ignore[no-untyped-def]
    async with synced["deps"].uow() as uow:
        anomalies = await uow.facts.anomalies(synced["shop_id"], limit=100_000)
    reasons = {a.reason.split(" ")[0] + " " + a.reason.split(" ")[1] for a in anomalies if a.source == "accruals"}
    assert reasons == {"нет total_amount:", "у товара"}, reasons  # numbers are trusted: exact decimals
    sample = next(a for a in anomalies if a.reason.startswith("нет total_amount"))
    assert '"total_amount":null' in sample.raw.replace(" ", "") and str(sample.record_id) in sample.raw
    assert all(FROM <= a.day <= TO for a in anomalies)


async def test_rollups_hold_every_stored_line_exactly_once(synced, sync_db):  # type: ignore[no-untyped-def]
    await _assert_rollups_match_lines(sync_db, synced["shop_id"])


async def test_a_resync_across_the_month_end_changes_nothing(synced, sync_db):  # type: ignore[no-untyped-def]
    before = await h.snapshot(sync_db, synced["shop_id"])
    for date_from, date_to in ((dt.date(2026, 7, 27), dt.date(2026, 8, 3)), (dt.date(2026, 8, 1), dt.date(2026, 8, 1)),
                               (dt.date(2026, 7, 31), dt.date(2026, 7, 31))):
        run = await sync_shop(synced["deps"], synced["shop_id"], SyncKind.MANUAL, date_from=date_from, date_to=date_to)
        assert run is not None and run.status == SyncStatus.DONE, run
    after = await h.snapshot(sync_db, synced["shop_id"])
    assert {t: v[0] for t, v in after.items()} == {t: v[0] for t, v in before.items()}
    for table in ("accrual_lines", "sku_daily_rollups", "sku_monthly_rollups"):
        assert after[table] == before[table], table
    await _assert_rollups_match_lines(sync_db, synced["shop_id"])


async def _assert_rollups_match_lines(sync_db: str, shop_id) -> None:  # type: ignore[no-untyped-def]
    lines = await h.fetch(sync_db, "SELECT date AS d, sum(amount) AS s FROM accrual_lines WHERE shop_id = $1 "
                                   "GROUP BY 1", shop_id)
    daily = await h.fetch(sync_db, "SELECT day AS d, sum(amount) AS s FROM sku_daily_rollups WHERE shop_id = $1 "
                                   "AND article <> $2 GROUP BY 1", shop_id, BUYOUTS)  # buyouts: not accruals
    by_day = {r["d"]: int(r["s"]) for r in lines}
    assert {r["d"]: int(r["s"]) for r in daily} == by_day
    monthly = await h.fetch(sync_db, "SELECT month AS m, sum(amount) AS s FROM sku_monthly_rollups "
                                     "WHERE shop_id = $1 AND article <> $2 GROUP BY 1", shop_id, BUYOUTS)
    by_month: dict[dt.date, int] = {}
    for day, amount in by_day.items():
        by_month[day.replace(day=1)] = by_month.get(day.replace(day=1), 0) + amount
    assert {r["m"]: int(r["s"]) for r in monthly} == by_month


async def test_buyouts_are_stored_once_dated_and_in_the_rollups(synced, sync_db):  # type: ignore[no-untyped-def]
    """Issue 11, «Выкупы Озоном»: the buyouts of every month equal the sandbox's ground truth to the kopeck, each line
    once although Ozon repeats some and sends others without an amount or with amounts as strings; the buyout
    rollups (their own article) hold the same money per month, and the odd lines are in the «аномалии» list."""
    world, shop_id = h.world_of(synced["app"], CLIENT), synced["shop_id"]
    stored = await h.fetch(sync_db, "SELECT date_trunc('month', day)::date AS m, sum(amount) AS s, sum(quantity) AS q, "
                                    "count(DISTINCT posting_number) AS n FROM ozon_buyouts WHERE shop_id = $1 GROUP BY 1", shop_id)
    rolled = await h.fetch(sync_db, "SELECT month AS m, sum(amount) AS s, sum(quantity) AS q FROM sku_monthly_rollups "
                                    "WHERE shop_id = $1 AND article = $2 GROUP BY 1", shop_id, BUYOUTS)
    by_month = {r["m"]: (int(r["s"]), int(r["q"]), r["n"]) for r in stored}
    rollups = {r["m"]: (int(r["s"]), int(r["q"])) for r in rolled}
    for month in h.month_starts(FROM, TO):
        truth = h.ground_truth(world, month, h.month_end(month))
        assert truth.buyout_amount > 0, month
        assert by_month[month] == (truth.buyout_amount, truth.buyout_units, truth.buyouts), month
        assert rollups[month] == (truth.buyout_amount, truth.buyout_units), month
    daily = await h.fetch(sync_db, "SELECT day, sum(amount) AS s FROM sku_daily_rollups WHERE shop_id = $1 AND "
                                   "article = $2 GROUP BY 1", shop_id, BUYOUTS)
    for r in daily:  # dated by the day Ozon delivered them, not piled on a window's end
        assert int(r["s"]) == h.ground_truth(world, r["day"], r["day"]).buyout_amount, r["day"]
    odd = await h.fetch(sync_db, "SELECT reason FROM ozon_anomalies WHERE shop_id = $1 AND source = 'buyouts'", shop_id)
    reasons = [r["reason"] for r in odd]
    assert any("повторно" in r for r in reasons) and any("сумма не указана" in r for r in reasons), reasons[:5]


async def test_a_second_sync_of_the_buyouts_changes_nothing(synced, sync_db):  # type: ignore[no-untyped-def]
    shop_id = synced["shop_id"]
    query = ("SELECT count(*) AS n, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS h FROM {} t "
             "WHERE shop_id = $1")
    tables = ("ozon_buyouts", "sku_monthly_rollups", "ozon_anomalies")
    before = [tuple(await h.fetch(sync_db, query.format(t), shop_id)) for t in tables]
    run = await sync_shop(synced["deps"], shop_id, SyncKind.CLI, date_from=FROM, date_to=TO)
    assert run is not None and run.status == SyncStatus.DONE, run
    after = [tuple(await h.fetch(sync_db, query.format(t), shop_id)) for t in tables]
    assert [tuple(r[0]) for r in after] == [tuple(r[0]) for r in before]
