"""The money cabinet over HTTP on PostgreSQL: drill-down, cost import (all or nothing), expenses, tokens, selector."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
import xlsxwriter

from stpulse.adapters.sandbox.ozon.world import SellerWorld
from stpulse.application.costs.cogs_import import HEADERS, NAME, TOTAL
from stpulse.application.reports.drill import PAGE_SIZE
from stpulse.domain.kernel.formatting import format_count
from stpulse.domain.ledger.accruals import AccrualLine
from stpulse.domain.ledger.default_mapping import DEFAULT_TYPE_ARTICLES
from tests.integration.money.loader import add_shop, load_lines, load_products
from tests.integration.web_helpers import csrf, post_form, sign_up

FIRST, LAST = dt.date(2026, 4, 1), dt.date(2026, 6, 30)
HEAD = [h for h in HEADERS if h not in (NAME, TOTAL)]  # what a person fills in


@pytest.fixture(scope="module")
def world() -> SellerWorld:
    return SellerWorld(11, "small")


@pytest.fixture(scope="module")
def lines(world: SellerWorld) -> list[AccrualLine]:
    return list(world.accrual_lines(FIRST, LAST))


async def _shop(app, client, mailbox, world, lines, pg_url, email="cab@example.ru"):  # type: ignore[no-untyped-def]
    await sign_up(client, mailbox, email, "Кабинет")
    async with app.state.container.deps.uow() as uow:
        user = await uow.users.by_email(email)
        account_id = (await uow.memberships.for_user(user.id))[0].account_id
    shop_id = await add_shop(pg_url, account_id, "Малый", "1001")
    await load_products(pg_url, shop_id, world)
    await load_lines(pg_url, shop_id, lines)
    return account_id, shop_id


def xlsx(rows) -> bytes:  # type: ignore[no-untyped-def]
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet()
    for i, row in enumerate(rows):
        for j, v in enumerate(row):
            if v is not None:
                ws.write(i, j, v)
    wb.close()
    return buf.getvalue()


async def _upload(client, data: bytes):  # type: ignore[no-untyped-def]
    return await client.post("/app/costs/import", files={"file": ("c.xlsx", data)}, headers=await csrf(client))


async def test_drill_down_pages_through_the_accruals_of_a_line(app, client, mailbox, world, lines, pg_url):
    await _shop(app, client, mailbox, world, lines, pg_url)
    logistics = {t for t, a in DEFAULT_TYPE_ARTICLES.items() if a == "logistics"}
    mine = [x for x in lines if x.component.value == "service" and x.type_id in logistics and x.date.month == 5]
    first = await client.get("/app/reports/pnl/drill?row=ozon:logistics&month=2026-05&from=2026-04&to=2026-06"
                             "&view=lines",
                             headers={"HX-Request": "true"})
    assert first.status_code == 200 and f"{format_count(len(mine))} строк" in first.text
    assert "drill-next" in first.text and first.text.count("<tr>") == PAGE_SIZE + 1  # and the header
    page2 = await client.get("/app/reports/pnl/drill?row=ozon:logistics&month=2026-05&page=2&from=2026-04&to=2026-06"
                             "&view=lines")
    assert page2.status_code == 200 and "Страница 2" in page2.text
    assert (await client.get("/app/reports/pnl/drill?row=ebitda&from=2026-04&to=2026-06")).status_code == 404


async def test_cost_import_refuses_bad_files_and_writes_nothing(app, client, mailbox, world, lines, pg_url):
    account_id, _ = await _shop(app, client, mailbox, world, lines, pg_url)
    offer = world.catalog.offer_id(0)
    cases = {
        "unknown": [HEAD, ["NO-SUCH", "01.05.2026", 100]],
        "negative": [HEAD, [offer, "01.05.2026", -5]],
        "text": [HEAD, [offer, "01.05.2026", "сто рублей"]],
        "duplicate": [HEAD, [offer, "01.05.2026", 100], [offer, "01.05.2026", 120]],
        "headers": [["Товар", "Цена"], [offer, 100]],
    }
    for name, rows in cases.items():
        resp = await _upload(client, xlsx(rows))
        assert resp.status_code == 422 and "Файл не загружен" in resp.text, name
        assert "Строка" in resp.text, name
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (60 * 1024 * 1024))
    for data in (b"not an xlsx at all", bomb.getvalue(), b"PK" + b"\0" * (6 * 1024 * 1024)):
        resp = await _upload(client, data)
        assert resp.status_code == 422 and "Файл не загружен" in resp.text
    async with app.state.container.deps.uow() as uow:
        assert (await uow.cost_prices.book(account_id)).entries == ()


async def test_good_cost_file_of_5000_rows_imports_in_one_go(app, client, mailbox, world, lines, pg_url):
    account_id, _ = await _shop(app, client, mailbox, world, lines, pg_url)
    n = world.catalog.n
    rows = [HEAD] + [[world.catalog.offer_id(i % n), (dt.date(2020, 1, 1) + dt.timedelta(days=i // n)).strftime("%d.%m.%Y"),
                      100 + i % 97, 10, 5, 1] for i in range(5000)]
    resp = await _upload(client, xlsx(rows))
    assert resp.status_code == 200 and "Загружено строк: 5\u00a0000" in resp.text
    async with app.state.container.deps.uow() as uow:
        assert len((await uow.cost_prices.book(account_id)).entries) == 5000
    exported = await client.get("/app/costs/export.xlsx")
    assert exported.status_code == 200 and exported.content[:2] == b"PK"


async def test_costs_page_lists_uncosted_sales_and_history_chart(app, client, mailbox, world, lines, pg_url):
    await _shop(app, client, mailbox, world, lines, pg_url)
    offer = world.catalog.offer_id(1)
    for day, price in (("01.01.2026", "100"), ("15.05.2026", "130,50")):
        resp = await post_form(client, "/app/costs", {"offer_id": offer, "effective_from": day, "purchase": price})
        assert resp.status_code in (200, 303)
    page = await client.get(f"/app/costs?offer={offer}&from=2026-04&to=2026-06")
    assert page.status_code == 200 and "data-cost-chart=" in page.text and "130,50" in page.text
    assert "[10000, 13050]" in page.text.replace("&#34;", '"')  # the chart's numbers as JSON, drawn by ECharts
    assert 'id="uncosted"' in page.text and f'data-uncosted="{world.catalog.offer_id(0)}"' in page.text
    assert f'data-uncosted="{offer}"' not in page.text
    bad = await post_form(client, "/app/costs", {"offer_id": offer, "effective_from": "завтра", "purchase": "-1"})
    assert bad.status_code == 422 and "не распознана" in bad.text


async def test_expenses_enter_the_pnl_and_the_selection_is_remembered(app, client, mailbox, world, lines, pg_url):
    _, shop_id = await _shop(app, client, mailbox, world, lines, pg_url)
    resp = await post_form(client, "/app/expenses", {"month": "2026-05", "article": "Аренда", "amount": "15000",
                                                     "shop_id": str(shop_id)})
    assert resp.status_code in (200, 303)
    data = xlsx([["Месяц", "Статья", "Сумма, ₽", "Магазин"], ["2026-06", "Зарплата", 50000, ""]])
    resp = await client.post("/app/expenses/import", files={"file": ("e.xlsx", data)}, headers=await csrf(client))
    assert resp.status_code in (200, 303)
    pnl = await client.get(f"/app/reports/pnl?from=2026-04&to=2026-06&shops={shop_id}")
    assert "Аренда" in pnl.text and "Зарплата" in pnl.text and "−15\u00a0000,00" in pnl.text
    assert client.cookies.get("stp_shops") == str(shop_id)
    unit = await client.get("/app/reports/unit")  # no query: the remembered shop and period
    assert unit.status_code == 200 and 'value="2026-04"' in unit.text and "checked" in unit.text


async def test_api_token_is_hashed_and_revocable(app, client, mailbox, world, lines, pg_url):
    await _shop(app, client, mailbox, world, lines, pg_url)
    created = await post_form(client, "/app/api-tokens/", {"name": "скрипт"})
    raw = created.text.split('id="new-token">')[1].split("<")[0].strip()
    api = {"Authorization": f"Bearer {raw}"}
    assert (await client.get("/api/v1/reports/pnl?from=2026-04&to=2026-06", headers=api)).status_code == 200
    assert (await client.get("/api/v1/reports/pnl", headers={"Authorization": "Bearer stp_wrong"})).status_code == 403
    async with app.state.container.deps.uow() as uow:
        user = await uow.users.by_email("cab@example.ru")
        account_id = (await uow.memberships.for_user(user.id))[0].account_id
        (token,) = await uow.api_tokens.for_user(account_id, user.id)
    assert raw not in token.token_hash and len(token.token_hash) == 64
    assert token.last_used_at is not None
    assert (await client.get("/api/v1/reports/pnl?from=2026-04&to=2026-06", headers=api)).status_code == 200
    async with app.state.container.deps.uow() as uow:
        (again,) = await uow.api_tokens.for_user(account_id, user.id)
    assert again.last_used_at == token.last_used_at  # «last used» is written at most once a minute
    await post_form(client, f"/app/api-tokens/{token.id}/revoke", {})
    assert (await client.get("/api/v1/reports/pnl", headers=api)).status_code == 403


async def test_admin_sees_unmapped_types_and_maps_one(app, client, mailbox, world, lines, pg_url):
    from stpulse.application.accounts.admin_users import make_admin
    from tests.integration.web_helpers import sign_in

    await _shop(app, client, mailbox, world, lines, pg_url)
    await make_admin(app.state.container.deps, "root@example.ru", "root-password-1")
    await sign_in(client, "root@example.ru", "root-password-1")
    page = await client.get("/admin/ledger/")
    unmapped = sorted({x.type_id for x in lines if x.component.value == "service"
                       and (x.type_id is None or x.type_id not in DEFAULT_TYPE_ARTICLES)}, key=lambda t: t or -1)
    assert unmapped and all(f'data-unmapped="{t}"' in page.text for t in unmapped)
    resp = await post_form(client, "/admin/ledger/", {"type_id": str(unmapped[-1]), "article": "penalties"})
    assert resp.status_code in (200, 303)
    page = await client.get("/admin/ledger/")  # mapped, but its past months are not recalculated yet
    assert f'data-unmapped="{unmapped[-1]}"' in page.text and f'data-type="{unmapped[-1]}"' in page.text
    progress = await client.get("/admin/ledger/remaps", headers={"HX-Request": "true"})
    assert 'data-remap-state="running"' in progress.text and 'hx-trigger="every 2s"' in progress.text
    from stpulse.entrypoints.worker.actors import recalculate_type

    await recalculate_type(lambda: app.state.container.deps, str(unmapped[-1]))  # what the worker runs
    progress = await client.get("/admin/ledger/remaps", headers={"HX-Request": "true"})
    assert 'data-remap-state="done"' in progress.text and "hx-trigger" not in progress.text
    assert progress.headers.get("hx-refresh") == "true"  # the queue beside the progress is shown afresh
    page = await client.get("/admin/ledger/")
    assert f'data-unmapped="{unmapped[-1]}"' not in page.text and f'data-type="{unmapped[-1]}"' in page.text
    bad = await post_form(client, "/admin/ledger/", {"type_id": "5", "article": "revenue"})
    assert bad.status_code == 422


async def test_cli_prints_and_writes_the_same_report(app, client, mailbox, world, lines, pg_url, tmp_path,
                                                     monkeypatch):
    import asyncio
    import json

    import openpyxl
    from click.testing import CliRunner

    from stpulse.entrypoints.cli.app import main

    _, shop_id = await _shop(app, client, mailbox, world, lines, pg_url)
    monkeypatch.setenv("STPULSE_DATABASE_URL", pg_url)
    monkeypatch.setenv("STPULSE_DATA_DIR", str(tmp_path))
    runner = CliRunner()
    args = ["report", "pnl", "--shop", str(shop_id), "--from", "2026-04", "--to", "2026-06"]
    as_json = await asyncio.to_thread(runner.invoke, main, [*args, "--format", "json"])
    assert as_json.exit_code == 0, as_json.output
    table = json.loads(as_json.output)
    web = (await client.get(f"/app/reports/pnl?from=2026-04&to=2026-06&shops={shop_id}")).text
    net = next(r for r in table["rows"] if r["code"] == "net_profit")
    from stpulse.domain.reports.table import format_value as format_cell

    assert format_cell(net["total"], "money") in web
    as_text = await asyncio.to_thread(runner.invoke, main, [*args])
    assert as_text.exit_code == 0 and "Чистая прибыль" in as_text.output and format_cell(net["total"], "money") in as_text.output
    out = tmp_path / "pnl.xlsx"
    as_xlsx = await asyncio.to_thread(runner.invoke, main, [*args, "--format", "xlsx", "--output", str(out)])
    assert as_xlsx.exit_code == 0 and openpyxl.load_workbook(out).active.freeze_panes == "B2"
