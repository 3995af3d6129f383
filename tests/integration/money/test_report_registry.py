"""A report is one pure function plus one registry entry: a toy report registered here, and nowhere else, gets
its page, its JSON, its CLI output and its xlsx; the old report URLs still answer; listing shops computes nothing."""

from __future__ import annotations

import asyncio
import io
import json

import openpyxl
import pytest
from click.testing import CliRunner

from stpulse.adapters.sandbox.ozon.world import SellerWorld
from stpulse.application.reports.cache import TABLES
from stpulse.domain.kernel.period import day_number, month_first_day, month_label, month_text
from stpulse.domain.ledger.accruals import AccrualLine
from stpulse.domain.ledger.articles import REVENUE
from stpulse.domain.reports.cube import ReportInputs
from stpulse.domain.reports.kinds import HighlightRule, ReportKind, Selection
from stpulse.domain.reports.registry import register, unregister
from stpulse.domain.reports.table import Column, Highlight, Kind, Row, Table, format_value
from stpulse.entrypoints.cli.app import main
from tests.integration.money.test_money_cabinet import FIRST, LAST, _shop
from tests.integration.web_helpers import post_form

TOY_COLUMNS = (Column(code="units", label="Продано", kind=Kind.COUNT),
               Column(code="revenue", label="Выручка", kind=Kind.MONEY),
               Column(code="days", label="Дней в месяце", kind=Kind.DAYS))
QUERY = "from=2026-04&to=2026-06"


def toy_build(inputs: ReportInputs, selection: Selection) -> Table:
    """Units and revenue of sales per month, straight from the rollups (no catalogue, costs, expenses or tax)."""
    r, rows = inputs.rollup, []
    for m in inputs.period.months:
        first, nxt = day_number(month_first_day(m)), day_number(month_first_day(m + 1))
        sale = (r.article == REVENUE) & (r.day >= first) & (r.day < nxt)
        rows.append(Row(code=month_text(m), label=month_label(m), kind=Kind.MONEY,
                        values=(int(r.quantity[sale].sum()), int(r.amount[sale].sum()), nxt - first)))
    return Table(code="", title="", period=f"{month_text(inputs.period.first_month)} — "
                 f"{month_text(inputs.period.last_month)}", first_header="Месяц", columns=TOY_COLUMNS,
                 rows=tuple(rows), total_label=None)


@pytest.fixture(scope="module")
def world() -> SellerWorld:
    return SellerWorld(11, "small")


@pytest.fixture(scope="module")
def lines(world: SellerWorld) -> list[AccrualLine]:
    return list(world.accrual_lines(FIRST, LAST))


@pytest.fixture
def toy():
    """The toy entry; its amber rule marks months below 10 000 000 ₽ of revenue."""
    kind = register(ReportKind(code="toy", title="Продажи по месяцам", build=toy_build, inputs=frozenset(),
                               columns=TOY_COLUMNS, highlights=(HighlightRule(
                                   mark=Highlight.WARNING, columns=frozenset({"revenue"}), below=10**9),)))
    yield kind
    unregister("toy")
    TABLES.clear()


async def _token(client) -> str:  # type: ignore[no-untyped-def]
    created = await post_form(client, "/app/api-tokens/", {"name": "скрипт"})
    return created.text.split('id="new-token">')[1].split("<")[0].strip()


async def test_a_toy_report_gets_page_json_cli_and_xlsx_from_one_entry(app, client, mailbox, world, lines,
                                                                         pg_url, tmp_path, monkeypatch, toy):
    _, shop_id = await _shop(app, client, mailbox, world, lines, pg_url)
    api = {"Authorization": f"Bearer {await _token(client)}"}
    data = (await client.get(f"/api/v1/reports/toy?{QUERY}&shops={shop_id}", headers=api)).json()
    pnl = (await client.get(f"/api/v1/reports/pnl?{QUERY}&shops={shop_id}", headers=api)).json()["report"]
    report = data["report"]
    revenue = next(r for r in pnl["rows"] if r["code"] == "revenue")["values"]
    assert report["code"] == "toy" and report["title"] == "Продажи по месяцам"
    assert [r["values"][1] for r in report["rows"]] == revenue and all(v > 0 for v in revenue)
    assert [r["values"][2] for r in report["rows"]] == [30, 31, 30] and data["units"]["days"] == "days"
    assert [r["marks"] for r in report["rows"]] == [[None, "warning" if v < 10**9 else None, None] for v in revenue]

    page = await client.get(f"/app/reports/toy?{QUERY}&shops={shop_id}")
    assert page.status_code == 200 and "<h1 class=\"h3 me-auto\">Продажи по месяцам</h1>" in page.text
    assert 'href="/app/reports/toy"' in page.text  # the sidebar lists it
    assert format_value(revenue[0], Kind.MONEY) in page.text and 'data-report="toy"' in page.text
    assert "table-warning" in page.text and "drill-link" not in page.text
    partial = await client.get(f"/app/reports/toy?{QUERY}&shops={shop_id}", headers={"HX-Request": "true"})
    assert "<html" not in partial.text and format_value(revenue[0], Kind.MONEY) in partial.text

    xlsx = await client.get(f"/app/reports/toy/export.xlsx?{QUERY}&shops={shop_id}")
    ws = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    assert ws.title == "Продажи по месяцам" and [c.value for c in ws[1]] == ["Месяц", "Продано", "Выручка",
                                                                              "Дней в месяце"]
    assert [round(ws.cell(i, 3).value * 100) for i in (2, 3, 4)] == revenue

    monkeypatch.setenv("STPULSE_DATABASE_URL", pg_url)
    monkeypatch.setenv("STPULSE_DATA_DIR", str(tmp_path))
    args = ["report", "toy", "--shop", str(shop_id), "--from", "2026-04", "--to", "2026-06"]
    as_json = await asyncio.to_thread(CliRunner().invoke, main, [*args, "--format", "json"])
    assert as_json.exit_code == 0, as_json.output
    assert [r["values"] for r in json.loads(as_json.output)["rows"]] == [r["values"] for r in report["rows"]]
    as_text = await asyncio.to_thread(CliRunner().invoke, main, args)
    assert "Продажи по месяцам" in as_text.output and format_value(revenue[0], Kind.MONEY) in as_text.output
    assert "Апрель 2026" in as_text.output


async def test_unknown_report_is_404_everywhere_and_old_urls_answer(app, client, mailbox, world, lines, pg_url):
    _, shop_id = await _shop(app, client, mailbox, world, lines, pg_url)
    api = {"Authorization": f"Bearer {await _token(client)}"}
    assert (await client.get(f"/app/reports/nope?{QUERY}")).status_code == 404
    assert (await client.get(f"/api/v1/reports/nope?{QUERY}", headers=api)).status_code == 404
    for code in ("pnl", "unit"):
        assert (await client.get(f"/app/reports/{code}?{QUERY}")).status_code == 200
        assert (await client.get(f"/api/v1/reports/{code}?{QUERY}", headers=api)).json()["report"]["code"] == code
    listed = (await client.get("/api/v1/reports", headers=api)).json()["reports"]
    assert [r["code"] for r in listed][:2] == ["pnl", "unit"]
    assert CliRunner().invoke(main, ["report", "nope", "--shop", str(shop_id), "--from", "2026-04",
                                     "--to", "2026-04"]).exit_code != 0


async def test_listing_shops_computes_no_report(app, client, mailbox, world, lines, pg_url, monkeypatch):
    _, shop_id = await _shop(app, client, mailbox, world, lines, pg_url)
    api = {"Authorization": f"Bearer {await _token(client)}"}

    def refuse(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("a report was built to list shops")

    monkeypatch.setattr("stpulse.domain.reports.cube.build_cube", refuse)
    monkeypatch.setattr("stpulse.application.reports.views.build_table", refuse)
    shops = (await client.get("/api/v1/shops", headers=api)).json()["shops"]
    assert shops == [{"id": str(shop_id), "name": "Малый"}]


async def test_chosen_metrics_are_the_columns_of_page_json_and_xlsx(app, client, mailbox, world, lines, pg_url):
    _, shop_id = await _shop(app, client, mailbox, world, lines, pg_url)
    api = {"Authorization": f"Bearer {await _token(client)}"}
    chosen = f"{QUERY}&shops={shop_id}&metric=profit&metric=revenue"
    report = (await client.get(f"/api/v1/reports/unit?{chosen}", headers=api)).json()["report"]
    assert [c["code"] for c in report["columns"]] == ["profit", "revenue"]  # in the order asked (issue 13)
    page = (await client.get(f"/app/reports/unit?{chosen}")).text
    header = page.split("<thead>")[1].split("</thead>")[0]
    assert 'data-col="revenue"' in header and 'data-col="profit"' in header and 'data-col="tax"' not in header
    assert 'id="metric-tax"' in page and "metric=profit" in page  # the picker offers all; links keep the choice
    ws = openpyxl.load_workbook(io.BytesIO((await client.get(f"/app/reports/unit/export.xlsx?{chosen}")).content)).active
    assert [c.value for c in ws[1]][1:3] == ["Прибыль", "Чистая выручка"]
