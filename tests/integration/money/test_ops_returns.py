"""Операционка, Возвраты, Модели, «Показатели» and highlight thresholds on the medium sandbox shop (issue 13).

Postings and returns go through the adapter and the sync's writer; the totals are checked against the sandbox's own
arrays (loader_ops.ops_truth), Операционка and Возвраты against Юнитка, and a model's subtotal against its SKUs.
"""

from __future__ import annotations

import datetime as dt
import io
import uuid

import openpyxl
import pytest

from stpulse.adapters.sandbox.ozon.world import SellerWorld
from tests.integration.money.loader import add_shop, load_lines, load_products
from tests.integration.money.loader_ops import load_postings_and_returns, ops_truth
from tests.integration.web_helpers import csrf, post_form, sign_in, sign_up

FIRST, LAST = dt.date(2026, 3, 1), dt.date(2026, 5, 31)
PERIOD = "from=2026-03&to=2026-05"
OPS_ALL = ("ordered_units", "ordered", "cancelled_units", "cancelled", "delivered_units", "delivered",
           "returned_units", "returned", "buyout_pct", "avg_price", "stock")
RET_ALL = ("returned_units", "returned", "sold_units", "return_share", "reverse_logistics", "to_stock", "utilised",
           "in_transit", "compensation", "refused_units")


@pytest.fixture(scope="module")
def world() -> SellerWorld:
    return SellerWorld(7, "medium")


def _xlsx(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    for r in rows:
        book.active.append(r)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def _setup(app, client, mailbox, world, pg_url):  # type: ignore[no-untyped-def]
    await sign_up(client, mailbox, "ops@example.ru", "Операции")
    deps = app.state.container.deps
    async with deps.uow() as uow:
        user = await uow.users.by_email("ops@example.ru")
        account_id = (await uow.memberships.for_user(user.id))[0].account_id
    shop_id = await add_shop(pg_url, account_id, "Средний магазин", "778")
    await load_products(pg_url, shop_id, world)
    await load_lines(pg_url, shop_id, list(world.accrual_lines(FIRST, LAST)))
    await load_postings_and_returns(pg_url, shop_id, world, FIRST - dt.timedelta(days=3), LAST)
    token = await client.post("/app/api-tokens/", data={"name": "ops"}, headers=await csrf(client))
    raw = token.text.split('id="new-token">')[1].split("<")[0].strip()
    return shop_id, {"Authorization": f"Bearer {raw}"}


def _col(table: dict, code: str) -> int:
    return [c["code"] for c in table["columns"]].index(code)


def _total(table: dict, code: str) -> int:
    return next(r for r in table["rows"] if r["code"] == "total")["values"][_col(table, code)]


async def _json(client, api, code: str, query: str) -> dict:  # type: ignore[no-untyped-def]
    resp = await client.get(f"/api/v1/reports/{code}?{query}", headers=api)
    assert resp.status_code == 200, resp.text
    return resp.json()["report"]


@pytest.mark.timeout(1200)  # a medium shop's three months of postings through the adapter and the sync's writer
async def test_ops_and_returns_reconcile_models_metrics_and_highlights(app, client, mailbox, world, pg_url):
    shop_id, api = await _setup(app, client, mailbox, world, pg_url)
    want = ops_truth(world, FIRST, LAST)
    q = f"{PERIOD}&shops={shop_id}"
    ops = await _json(client, api, "ops", q + "".join(f"&metric={m}" for m in OPS_ALL))
    assert [c["code"] for c in ops["columns"]] == list(OPS_ALL)
    # acceptance 1: Операционка's totals = the sandbox's arrays
    assert _total(ops, "ordered_units") == want.ordered_units and _total(ops, "ordered") == want.ordered
    assert _total(ops, "cancelled_units") == want.cancelled_units and _total(ops, "cancelled") == want.cancelled
    assert _total(ops, "delivered_units") == want.delivered_units
    assert _total(ops, "returned_units") == want.returned_units
    ordered_by_sku = {int(r["code"].split(":")[1]): r["values"][0] for r in ops["rows"] if r["code"] != "total"}
    assert {k: v for k, v in ordered_by_sku.items() if v} == dict(want.by_sku_ordered)
    ret = await _json(client, api, "returns", q + "".join(f"&metric={m}" for m in RET_ALL))
    assert _total(ret, "returned_units") == want.returned_units and _total(ret, "returned") == want.returned
    assert _total(ret, "refused_units") == want.refused_units and _total(ret, "utilised") == want.utilised
    assert _total(ret, "to_stock") + _total(ret, "utilised") + _total(ret, "in_transit") == want.returned_units
    assert _total(ret, "compensation") > 0 and _total(ret, "reverse_logistics") < 0
    by_reason = await _json(client, api, "returns", q + "&view=reason" + "".join(f"&metric={m}" for m in RET_ALL))
    assert {r["label"]: r["values"][0] for r in by_reason["rows"] if r["code"] != "total" and r["values"][0]} == \
        dict(want.by_reason)
    # acceptance 2: a month's delivered units = Юнитка's sold units; Возвраты' units = Юнитка's returned units
    for month in ("2026-03", "2026-04", "2026-05"):
        mq = f"from={month}&to={month}&shops={shop_id}"
        unit = await _json(client, api, "unit", mq + "&metric=sold_units&metric=returned_units")
        one = await _json(client, api, "ops", mq + "&metric=delivered_units&metric=returned_units")
        assert _total(one, "delivered_units") == _total(unit, "sold_units"), month
        rm = await _json(client, api, "returns", mq + "&metric=returned_units")
        assert _total(rm, "returned_units") == _total(unit, "returned_units") == _total(one, "returned_units"), month
    day_view = await _json(client, api, "ops", q + "&view=day&metric=ordered_units&metric=delivered_units")
    assert len([r for r in day_view["rows"] if r["code"] != "total"]) == 92
    assert _total(day_view, "ordered_units") == want.ordered_units
    assert _total(day_view, "delivered_units") == want.delivered_units
    by_month = await _json(client, api, "ops", q + "&view=month&metric=ordered_units&metric=ordered&metric=cancelled")
    assert len([r for r in by_month["rows"] if r["code"] != "total"]) == 3  # the monthly sums (ozon_order_months)
    assert (_total(by_month, "ordered_units"), _total(by_month, "ordered"), _total(by_month, "cancelled")) == \
        (want.ordered_units, want.ordered, want.cancelled)
    await _models(client, api, world, shop_id)
    await _metrics_survive_login(client, shop_id)
    await _highlights(client, shop_id)
    await _drill_and_isolation(app, client, mailbox, shop_id)


async def _models(client, api, world, shop_id) -> None:  # type: ignore[no-untyped-def]
    offers = [world.catalog.offer_id(i) for i in range(world.catalog.n)]
    # acceptance 4: a file with errors is refused by row and writes nothing
    bad = _xlsx([["Артикул", "Модель"], [offers[0], "Модель-Бета"], ["нет-такого", "Модель-Бета"], [offers[1], ""],
                 [offers[0], "Модель-Альфа"]])
    resp = await client.post("/app/models/import", files={"file": ("m.xlsx", bad)}, headers=await csrf(client))
    assert resp.status_code == 422
    for text in ("Строка 3", "нет-такого", "Строка 4", "не указана модель", "Строка 5", "уже указан в строке 2"):
        assert text in resp.text, text
    not_xlsx = await client.post("/app/models/import", files={"file": ("m.xlsx", b"plain text, not a workbook")},
                                 headers=await csrf(client))
    assert not_xlsx.status_code == 422 and "Строка" not in not_xlsx.text
    assert "Модель-Бета" not in (await client.get("/app/models")).text  # nothing written
    good = _xlsx([["Артикул", "Модель"], *([o, "Модель-Бета"] for o in offers[:40]), *([o, "Модель-Альфа"] for o in offers[40:60])])
    ok = await client.post("/app/models/import", files={"file": ("m.xlsx", good)}, headers=await csrf(client))
    assert ok.status_code == 200 and "Загружено строк: 60" in ok.text
    form = await post_form(client, "/app/models", {"offer_id": offers[60], "model": "Модель-Альфа"})
    assert form.status_code in (200, 303)
    bad_form = await post_form(client, "/app/models", {"offer_id": "нет-такого", "model": "Модель-Альфа"})
    assert bad_form.status_code == 422 and "не найден" in bad_form.text
    # a model's subtotal = Σ of its SKUs, and the subtotals add up to the total, in every SKU report
    q = f"{PERIOD}&shops={shop_id}"
    for code in ("unit", "ops", "returns"):
        table = await _json(client, api, code, q + "&group=model")
        rows = table["rows"]
        subtotals = [i for i, r in enumerate(rows) if r["code"].startswith("model:")]
        assert [rows[i]["label"] for i in subtotals] == ["Модель-Альфа", "Модель-Бета", "Без модели"], code
        kinds = [c["kind"] for c in table["columns"]]
        for j, kind in enumerate(kinds):
            if kind == "percent" or table["columns"][j]["code"] in ("avg_price",) or "per_unit" in table["columns"][j]["code"]:
                continue
            total = next(r for r in rows if r["code"] == "total")["values"][j]
            parts = 0
            for n, i in enumerate(subtotals):
                end = subtotals[n + 1] if n + 1 < len(subtotals) else len(rows)
                members = [r for r in rows[i + 1:end] if r["level"] == 1]
                assert rows[i]["values"][j] == sum(r["values"][j] or 0 for r in members), (code, j)
                parts += rows[i]["values"][j]
            rest = sum(r["values"][j] or 0 for r in rows if r["code"] == "unallocated")
            assert parts + rest == (total or 0), (code, table["columns"][j]["code"])
        only = await _json(client, api, code, q + "&model=Модель-Альфа")
        sku_rows = [r for r in only["rows"] if r["code"] != "total"]
        assert 0 < len(sku_rows) <= 21
        jacket = next(r for r in rows if r["code"] == "model:Модель-Альфа")
        first_sum = table["columns"][0]["code"]
        assert _total(only, first_sum) == jacket["values"][0]
    ops_day = await _json(client, api, "ops", q + "&view=month&model=Модель-Альфа&metric=ordered_units")
    ops_sku = await _json(client, api, "ops", q + "&model=Модель-Альфа&metric=ordered_units")
    assert _total(ops_day, "ordered_units") == _total(ops_sku, "ordered_units")


async def _metrics_survive_login(client, shop_id) -> None:  # type: ignore[no-untyped-def]
    """Acceptance 5: hiding a metric hides it on the page and in the xlsx; the choice survives a new login."""
    kept = [m for m in OPS_ALL if m not in ("cancelled", "returned", "stock")]
    kept = ["buyout_pct", *[m for m in kept if m != "buyout_pct"]]  # and moved first
    query = f"sel=1&{PERIOD}&shops={shop_id}" + "".join(f"&metric={m}" for m in kept)
    page = await client.get(f"/app/reports/ops?{query}")
    assert page.status_code == 200 and 'data-col="stock"' not in page.text
    assert page.text.index('data-col="buyout_pct"') < page.text.index('data-col="ordered_units"')
    client.cookies.clear()
    await sign_in(client, "ops@example.ru")
    again = await client.get(f"/app/reports/ops?{PERIOD}&shops={shop_id}")
    assert 'data-col="stock"' not in again.text and 'data-col="ordered_units"' in again.text
    xlsx = await client.get(f"/app/reports/ops/export.xlsx?{PERIOD}&shops={shop_id}")
    header = [c.value for c in openpyxl.load_workbook(io.BytesIO(xlsx.content)).active[1]]
    assert "Остаток, шт." not in header and header[1] == "Выкуп, %" and "Заказано, шт." in header


async def _highlights(client, shop_id) -> None:  # type: ignore[no-untyped-def]
    """A changed threshold changes the amber cells on the page and in the xlsx alike."""
    bad = await post_form(client, "/app/report-settings", {"low_buyout": "сто", "high_return_share": "5"})
    assert bad.status_code == 422 and "Введите число" in bad.text
    await post_form(client, "/app/report-settings", {"low_buyout": "100", "high_return_share": ""})
    q = f"{PERIOD}&shops={shop_id}&metric=buyout_pct&metric=ordered_units"
    page = (await client.get(f"/app/reports/ops?{q}")).text
    amber = page.count('table-warning" data-col="buyout_pct"')
    assert amber > 0
    book = openpyxl.load_workbook(io.BytesIO((await client.get(f"/app/reports/ops/export.xlsx?{q}")).content))
    sheet = book.active
    fills = [str(sheet.cell(row=i, column=2).fill.fgColor.rgb) for i in range(2, sheet.max_row + 1)]
    assert sum(f.endswith("FFF3CD") for f in fills) >= amber  # every amber cell of the page is amber in the file
    await post_form(client, "/app/report-settings", {"low_buyout": "0", "high_return_share": ""})
    none = (await client.get(f"/app/reports/ops?{q}")).text
    assert 'table-warning" data-col="buyout_pct"' not in none


async def _drill_and_isolation(app, client, mailbox, shop_id) -> None:  # type: ignore[no-untyped-def]
    ops = (await client.get(f"/app/reports/ops?{PERIOD}&shops={shop_id}")).text
    link = ops.split('class="cell-link"')[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")
    drill = await client.get(link)
    assert drill.status_code == 200 and "data-posting=" in drill.text
    # another account sees neither the postings nor the models of this one
    other = type(client)(transport=client._transport, base_url=client.base_url)
    await sign_up(other, mailbox, "other@example.ru", "Чужой")
    stolen = await other.get(f"/app/reports/ops/postings?row=1:1&col=ordered_units&{PERIOD}&shops={shop_id}")
    assert "data-posting=" not in stolen.text
    assert "Модель-Бета" not in (await other.get("/app/models")).text
    assert str(uuid.UUID(str(shop_id))) not in (await other.get("/app/reports/ops")).text
