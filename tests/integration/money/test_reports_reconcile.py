"""Acceptance 1–3 of the money core on the medium sandbox shop over 12 months, against PostgreSQL, over HTTP.

Every P&L line is recomputed here from the sandbox's ground truth (per-month totals by accrual type and
component) and from the sandbox's own generated lines — never from the project's tables.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

import asyncpg
import openpyxl
import pytest

from stpulse.adapters.sandbox.ozon.world import SellerWorld
from stpulse.domain.ledger.accruals import AccrualLine
from tests.integration.money.loader import add_shop, load_buyouts, load_lines, load_products
from tests.integration.web_helpers import post_form, sign_up
from tests.money_truth import check_pnl, expected, month_bounds, sandbox_buyouts

FIRST, LAST = dt.date(2025, 9, 1), dt.date(2026, 8, 31)
MONTHS = [f"{2025 + (8 + i) // 12}-{(8 + i) % 12 + 1:02d}" for i in range(12)]
COSTED = 40  # the first SKUs get a cost; the rest are sold without one (flagged)
CHANGE = dt.date(2026, 3, 15)


@pytest.fixture(scope="module")
def world() -> SellerWorld:
    return SellerWorld(7, "medium")


@pytest.fixture(scope="module")
def lines(world: SellerWorld) -> list[AccrualLine]:
    return list(world.accrual_lines(FIRST, LAST))


def cost_on(offer_index: int, day: dt.date) -> int | None:
    if not 0 <= offer_index < COSTED:
        return None
    return (10_000 + offer_index * 100) if day < CHANGE else (12_500 + offer_index * 100)


async def _setup(app, client, mailbox, world, lines, pg_url):  # type: ignore[no-untyped-def]
    await sign_up(client, mailbox, "money@example.ru", "Деньги")
    await post_form(client, "/app/legal-entities/new", {"kind": "ip", "name": "ИП Деньги", "inn": "500100732259",
                                                        "tax_regime": "usn_income", "tax_rate_percent": "6",
                                                        "vat_rate": "0"})
    deps = app.state.container.deps
    async with deps.uow() as uow:
        user = await uow.users.by_email("money@example.ru")
        account_id = (await uow.memberships.for_user(user.id))[0].account_id
        entity = (await uow.legal_entities.for_account(account_id))[0]
    shop_id = await add_shop(pg_url, account_id, "Средний магазин", "777", entity.id)
    await load_products(pg_url, shop_id, world)
    assert await load_buyouts(pg_url, shop_id, world, FIRST, LAST) > 0  # «Выкупы Озоном» (issue 11)
    await load_lines(pg_url, shop_id, lines, with_lines=False)  # sale lines only (a return finds its sale)
    conn = await asyncpg.connect(pg_url.replace("postgresql+asyncpg://", "postgresql://"))
    try:  # the reports read packed months, as they do for a synced shop
        assert await conn.fetchval("SELECT count(*) FROM sku_monthly_packs WHERE shop_id = $1", shop_id) == len(MONTHS)
    finally:
        await conn.close()
    for k in range(COSTED):
        offer = world.catalog.offer_id(k)
        for day in (dt.date(2024, 1, 1), CHANGE):
            rub = Decimal(cost_on(k, day)) / 100
            resp = await post_form(client, "/app/costs", {"offer_id": offer, "effective_from": day.strftime("%d.%m.%Y"),
                                                          "purchase": str(rub)})
            assert resp.status_code in (200, 303), resp.text
    token = await client.post("/app/api-tokens/", data={"name": "сверка"}, headers={"x-csrftoken": client.cookies["csrftoken"]})
    raw = token.text.split('id="new-token">')[1].split("<")[0].strip()
    return shop_id, raw


async def test_pnl_and_unit_economics_reconcile_to_the_sandbox(app, client, mailbox, world, lines, pg_url):
    shop_id, token = await _setup(app, client, mailbox, world, lines, pg_url)
    want = expected(world, lines, MONTHS, cost_on)
    query = f"from={MONTHS[0]}&to={MONTHS[-1]}&shops={shop_id}"
    api = {"Authorization": f"Bearer {token}"}
    pnl = (await client.get(f"/api/v1/reports/pnl?{query}", headers=api)).json()["report"]
    got = {r["code"]: r for r in pnl["rows"]}
    check_pnl(pnl["rows"], want, world.ground_truth(FIRST, LAST).total)
    assert any("без себестоимости" in w for w in pnl["warnings"])
    unit = (await client.get(f"/api/v1/reports/unit?{query}", headers=api)).json()["report"]
    profit_col = [c["code"] for c in unit["columns"]].index("profit")
    sku_rows = [r for r in unit["rows"] if r["code"] != "total"]
    assert sum(r["values"][profit_col] for r in sku_rows) == got["net_profit"]["total"]
    assert next(r for r in unit["rows"] if r["code"] == "total")["values"][profit_col] == got["net_profit"]["total"]
    await _check_months_add_up_per_sku(client, api, shop_id, unit)
    _check_compensations(got["compensations"], world)
    buyouts = (await client.get(f"/api/v1/reports/buyouts?{query}", headers=api)).json()["report"]
    _check_buyouts(buyouts, got["buyouts"], want["buyouts"], world)
    await _check_page_and_xlsx(client, query, pnl, unit, buyouts)


def _check_compensations(row, world):  # type: ignore[no-untyped-def]
    """«Компенсации Ozon (+)» on its own line (issue 11): Ozon's compensations and the ones it took back
    (decompensations), each rouble once, month by month as the sandbox made them."""
    truth = [world.ground_truth(*month_bounds(m)) for m in MONTHS]
    assert row["label"].startswith("Компенсации Ozon")
    assert row["values"] == [gt.compensations + gt.decompensations for gt in truth]
    assert all(gt.compensations > 0 for gt in truth) and sum(gt.decompensations for gt in truth) < 0


def _check_buyouts(table, pnl_row, want, world):  # type: ignore[no-untyped-def]
    """«Выкупы Озоном» (issue 11): every line the sandbox made, its monthly totals = the P&L's row = the ground truth."""
    assert pnl_row["values"] == want and all(v > 0 for v in want)
    months = [r for r in table["rows"] if r["code"].startswith("month:")]
    amount = [c["code"] for c in table["columns"]].index("amount")
    assert [r["values"][amount] for r in months] == want
    total = next(r for r in table["rows"] if r["code"] == "total")
    assert total["values"][amount] == sum(want)
    lines = [r for r in table["rows"] if r["code"] not in ("total",) and not r["code"].startswith("month:")]
    truth = sandbox_buyouts(world, FIRST, LAST)
    assert len(lines) == len(truth) and sum(r["values"][amount] for r in lines) == sum(want)
    assert sum(r["values"][0] for r in lines) == world.ground_truth(FIRST, LAST).buyout_units


async def _check_months_add_up_per_sku(client, api, shop_id, year):  # type: ignore[no-untyped-def]
    """Per SKU (and «не распределено»), every money column of the year = Σ of its twelve months (issue 11, 10)."""
    money = [i for i, c in enumerate(year["columns"])  # sums, not the per-unit averages
             if c.get("kind") == "money" and not c["code"].endswith("_per_unit") and c["code"] != "avg_price"]
    summed: dict[str, list[int]] = defaultdict(lambda: [0] * len(money))
    for month in MONTHS:
        one = (await client.get(f"/api/v1/reports/unit?from={month}&to={month}&shops={shop_id}", headers=api)).json()
        for r in one["report"]["rows"]:
            if r["code"] != "total":
                summed[r["code"]] = [a + (r["values"][i] or 0) for a, i in zip(summed[r["code"]], money, strict=True)]
    rows = {r["code"]: [r["values"][i] or 0 for i in money] for r in year["rows"] if r["code"] != "total"}
    zero = [0] * len(money)
    differ = [code for code in set(rows) | set(summed) if rows.get(code, zero) != summed.get(code, zero)]
    assert differ == [], f"{len(differ)} rows differ, e.g. {differ[:3]}"


async def _check_page_and_xlsx(client, query, pnl, unit, buyouts):  # type: ignore[no-untyped-def]
    page = await client.get(f"/app/reports/pnl?{query}")
    assert page.status_code == 200 and "table-sticky" in page.text
    net = next(r for r in pnl["rows"] if r["code"] == "net_profit")
    from stpulse.domain.reports.table import format_value as format_cell

    assert format_cell(net["total"], "money") in page.text
    assert pnl["data_as_of"].startswith("Данные Ozon") and pnl["data_as_of"] in page.text  # loaded, never synced
    page = await client.get(f"/app/reports/buyouts?{query}")
    assert page.status_code == 200 and "Выкупы Озоном" in page.text
    assert format_cell(buyouts["rows"][-1]["values"][2], "money") in page.text  # «Итого за период»
    for kind, table in (("pnl", pnl), ("unit", unit), ("buyouts", buyouts)):
        resp = await client.get(f"/app/reports/{kind}/export.xlsx?{query}")
        assert resp.status_code == 200
        book = openpyxl.load_workbook(io.BytesIO(resp.content))
        sheet = book.active
        assert sheet.freeze_panes == "B2"
        with_total = table["total_label"] is not None
        for i, row in enumerate(table["rows"], start=2):
            cells = [c.value for c in sheet[i]]
            values = [*row["values"], row["total"]] if with_total else list(row["values"])
            kinds = [c.get("kind") or row["kind"] for c in table["columns"]] + ([row["kind"]] if with_total else [])
            for value, cell, k in zip(values, cells[1:], kinds, strict=False):
                assert _from_xlsx(cell, k) == value, (kind, row["code"])


def _from_xlsx(cell: object, kind: str) -> int | None:
    if cell is None:
        return None
    scale = {"money": 100, "percent": 10_000, "count": 1}[kind]
    return int((Decimal(repr(cell)) * scale).to_integral_value(rounding=ROUND_HALF_UP))
