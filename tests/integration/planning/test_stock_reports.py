"""Товарные остатки and Планирование поставок on the medium sandbox shop, against PostgreSQL, over HTTP.

The stock history is what daily syncs would have stored (bench/reports_stock.py writes the sandbox's ground truth
of each day); today's snapshot and the supplies in flight go through the real Ozon adapter and the sync's writers.
Every figure checked here is recomputed from the sandbox's own simulation, never from the project's tables."""

from __future__ import annotations

import datetime as dt
import io
import types

import asyncpg
import numpy as np
import openpyxl
import pytest
from bench.reports_stock import load_stock_history

from stpulse.adapters.sandbox.ozon.reference import fbo_warehouses
from stpulse.adapters.sandbox.ozon.stock_history import simulate, stock_arrays, supply_orders_with_items
from stpulse.adapters.sandbox.ozon.world import SellerWorld
from stpulse.application.ozon.ports import OzonCredentials
from stpulse.application.ozon.sources import _stocks, _supplies
from stpulse.domain.kernel.period import day_number
from tests.integration.money.loader import add_shop, dsn, load_products
from tests.integration.web_helpers import sign_up
from tests.sandbox_shop import ozon_factory, sandbox_app

SEED = 7
TODAY = dt.date(2026, 9, 30)  # the sandbox's default today
EARLIER = dt.date(2026, 8, 31)


@pytest.fixture(scope="module")
def world() -> SellerWorld:
    return SellerWorld(SEED, "medium", TODAY)


async def _setup(app, client, mailbox, world, pg_url):  # type: ignore[no-untyped-def]
    await sign_up(client, mailbox, "stock@example.ru", "Остатки")
    deps = app.state.container.deps
    async with deps.uow() as uow:
        user = await uow.users.by_email("stock@example.ru")
        account_id = (await uow.memberships.for_user(user.id))[0].account_id
    shop_id = await add_shop(pg_url, account_id, "Средний магазин", "777")
    await load_products(pg_url, shop_id, world)
    # 59 days as the daily syncs stored them; last year's orders for the seasonal factor
    await load_stock_history(dsn(pg_url), shop_id, world, TODAY - dt.timedelta(days=59), TODAY - dt.timedelta(days=1),
                             items_from=TODAY - dt.timedelta(days=364 + 60))
    await _sync_today(deps, shop_id, world, pg_url)
    token = await client.post("/app/api-tokens/", data={"name": "остатки"},
                              headers={"x-csrftoken": client.cookies["csrftoken"]})
    raw = token.text.split('id="new-token">')[1].split("<")[0].strip()
    return shop_id, {"Authorization": f"Bearer {raw}"}


async def _sync_today(deps, shop_id, world, pg_url) -> None:  # type: ignore[no-untyped-def]
    """Today's snapshot and the supplies in flight through the Ozon adapter (over the sandbox's HTTP API) and the
    sync's own sources and writers; today's orders as the postings source leaves them."""
    api = ozon_factory(sandbox_app([("777", "key-777", SEED, "medium")]))(OzonCredentials(client_id="777",
                                                                                            api_key="key-777"))
    infos = [types.SimpleNamespace(sku=int(s)) for s in world.catalog.sku]
    job = types.SimpleNamespace(api=api, found={"products": ([], infos)})
    fbo, fbs = await _stocks(job)  # type: ignore[arg-type]
    items = await _supplies(job)  # type: ignore[arg-type]
    async with deps.uow() as uow:
        await uow.facts.replace_stocks(shop_id, TODAY, fbo, fbs)
        await uow.facts.replace_supply_items(shop_id, items)
        await uow.commit()
    demand = stock_arrays(world, TODAY)["sold"]  # type: ignore[index]
    s, h = np.nonzero(demand)
    conn = await asyncpg.connect(dsn(pg_url))
    try:
        await conn.copy_records_to_table("ozon_posting_warehouses", records=[
            (shop_id, f"T-{p}-{w}", int(world.catalog.sku[p]), TODAY, fbo_warehouses()[w][0], int(demand[p, w]), False)
            for p, w in zip(s.tolist(), h.tolist(), strict=True)],
            columns=["shop_id", "posting_number", "sku", "day", "warehouse_id", "quantity", "cancelled"])
    finally:
        await conn.close()


def _values(report: dict, row: dict) -> dict[str, int | None]:
    return dict(zip([c["code"] for c in report["columns"]], row["values"], strict=True))


def _truth_rows(world: SellerWorld, day: dt.date) -> dict[tuple[int, str], tuple[int, int, int]]:
    a = stock_arrays(world, day)
    assert a is not None
    s, h = np.nonzero(a["seen"])
    return {(int(world.catalog.sku[p]), fbo_warehouses()[w][1]): (int(a["available"][p, w]),
                                                                 int(a["reserved"][p, w]), int(a["transit"][p, w]))
            for p, w in zip(s.tolist(), h.tolist(), strict=True)}


def _in_stock_speed(world: SellerWorld, window: int) -> dict[tuple[int, str], float | None]:
    """Average daily orders over the last `window` days on in-stock days, straight from the simulation."""
    sim = simulate(world)
    k = sim.day(TODAY)
    assert k is not None
    avail, sold = sim.available[k - window + 1:k + 1], sim.sold[k - window + 1:k + 1]
    days = (avail > 0) | (sold > 0)
    n = days.sum(axis=0)
    total = np.where(days, sold, 0).sum(axis=0)
    out = {}
    for p in range(world.catalog.n):
        for w in range(avail.shape[2]):
            out[(int(world.catalog.sku[p]), fbo_warehouses()[w][1])] = None if n[p, w] == 0 else total[p, w] / n[p, w]
    return out


async def test_stock_report_equals_the_sandbox_on_a_given_day(app, client, mailbox, world, pg_url):
    shop_id, api = await _setup(app, client, mailbox, world, pg_url)
    for day, month in ((TODAY, "2026-09"), (EARLIER, "2026-08")):
        got = (await client.get(f"/api/v1/reports/stock?from={month}&to={month}&shops={shop_id}", headers=api)).json()
        report = got["report"]
        truth = _truth_rows(world, day)
        rows = [r for r in report["rows"] if not r["emphasis"] and "FBS" not in r["note"]]
        seen = {}
        for r in rows:
            sku, warehouse = int(r["code"].split(":")[1]), r["code"].split(":", 2)[2]
            v = _values(report, r)
            seen[(sku, warehouse)] = (v["available"], v["reserved"], v["transit"])
            assert (r["highlight"] == "loss") == (v["available"] == 0)
        assert all(seen.get(k) == v for k, v in truth.items()), day  # every warehouse of the day, to the unit
        assert all(v == (0, 0, 0) for k, v in seen.items() if k not in truth)  # stocked earlier in the window
        total = _values(report, report["rows"][-1])
        assert total["available"] == sum(t[0] for t in truth.values())
        assert report["period"] == f"на {day:%d.%m.%Y}"
    # today: the seller's own FBS warehouse arrives through /v4/product/info/stocks
    got = (await client.get(f"/api/v1/reports/stock?from=2026-09&to=2026-09&shops={shop_id}", headers=api)).json()
    report = got["report"]
    fbs = [r for r in report["rows"] if "FBS" in r["note"]]
    assert fbs and all(_values(report, r)["available"] == 0 for r in fbs)


async def test_stock_speed_counts_in_stock_days_only(app, client, mailbox, world, pg_url):
    shop_id, api = await _setup(app, client, mailbox, world, pg_url)
    report = (await client.get(f"/api/v1/reports/stock?from=2026-09&to=2026-09&shops={shop_id}",
                               headers=api)).json()["report"]
    for window in (7, 14, 30):
        want = _in_stock_speed(world, window)
        checked = out_days = 0
        for r in report["rows"]:
            if r["emphasis"] or "FBS" in r["note"]:
                continue
            key = (int(r["code"].split(":")[1]), r["code"].split(":", 2)[2])
            expected = want[key]
            got = _values(report, r)[f"ads{window}"]
            assert got == (None if expected is None else int(round(expected * 100))), (key, window)
            checked += 1
        assert checked > 1000
        sim = simulate(world)
        k = sim.day(TODAY)
        assert k is not None
        out_days = int(((sim.available[k - 29:k + 1] == 0) & (sim.sold[k - 29:k + 1] == 0)).any(axis=0).sum())
        assert out_days > 0  # the month has stock-out spells, so the in-stock rule is exercised


async def test_supply_plan_transit_options_and_xlsx(app, client, mailbox, world, pg_url):
    shop_id, api = await _setup(app, client, mailbox, world, pg_url)
    base = f"/api/v1/reports/supply?from=2026-09&to=2026-09&shops={shop_id}"
    report = (await client.get(base, headers=api)).json()["report"]
    longer = (await client.get(base + "&lead=30&cover=60", headers=api)).json()["report"]
    lines = [r for r in report["rows"] if not r["emphasis"]]
    transit: dict[tuple[int, str], int] = {}
    for o in supply_orders_with_items(world):
        if o.arrival > TODAY:
            cluster = fbo_warehouses()[o.warehouse][3]
            for pos, qty in o.items:
                key = (int(world.catalog.sku[pos]), cluster)
                transit[key] = transit.get(key, 0) + qty
    got_transit = {}
    for r in lines:
        _, sku, cluster = r["code"].split(":", 2)
        v = _values(report, r)
        if v["transit"]:
            got_transit[(int(sku), cluster)] = v["transit"]
        assert v["lead"] == 14 and v["cover"] == 30
        assert v["quantity"] == (0 if v["need"] <= 0 else -(-max(v["need"], v["min_order"]) // v["box"]) * v["box"])
        assert "на складе" in r["note"] and "в пути" in r["note"]
    assert got_transit == transit and transit
    subtotals = [r for r in report["rows"] if r["code"].startswith("cluster:")]
    assert sum(r["values"][-1] for r in subtotals) == report["rows"][-1]["values"][-1] == sum(
        r["values"][-1] for r in lines)
    assert {r["code"].split(":", 1)[1] for r in subtotals} == {r["code"].split(":", 2)[2] for r in lines}
    assert longer["rows"][-1]["values"][-1] > report["rows"][-1]["values"][-1]
    assert all(_values(longer, r)["lead"] == 30 for r in longer["rows"] if not r["emphasis"])
    xlsx = await client.get(f"/app/reports/supply/export.xlsx?from=2026-09&to=2026-09&shops={shop_id}&lead=30&cover=60")
    assert xlsx.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    labels = [c.value for c in sheet["A"]]
    assert sum(1 for x in labels if isinstance(x, str) and x.endswith(": итого")) == len(subtotals)
    assert day_number(TODAY) > 0
