"""Issue 16, «Charts»: «Выручка, прибыль и заказы» by day, week and month on the medium sandbox shop — every point of
every series equals the report it links to (for a day, a week across two months and a month), the chart JSON takes
the switch, and every chart keeps its numbers in a table.

The shop is synced once for the module (3 months of history); each test reads it through a fresh container."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import msgspec
import pytest

from stpulse.application.dashboard import charts as svc
from stpulse.application.dashboard.charts import Chart
from stpulse.application.ozon.sync import sync_shop
from stpulse.application.reports.drill import drill_down
from stpulse.application.reports.views import ReportRequest, build_report
from stpulse.domain.reports.drill import DrillFilter
from stpulse.domain.reports.table import Table
from stpulse.entrypoints.bootstrap import Container
from stpulse.entrypoints.web.app import create_app
from tests.integration.conftest import http_client
from tests.integration.web_helpers import sign_in
from tests.sandbox_shop import (
    actor_by_email,
    connect,
    new_actor,
    sandbox_container,
)
from tests.services import MigratedDatabases

NOW = dt.datetime(2026, 9, 30, 9, 0, tzinfo=dt.UTC)  # the sandbox's today
SHOPS = [("763011", "key-763011", 7, "medium")]
EMAIL = "dash-charts@example.ru"
PASSWORD = "password-12345"


def _container(url: str, tmp: Path) -> Container:
    return sandbox_container(url, tmp, SHOPS, NOW)


@pytest.fixture(scope="module")
def synced(tmp_path_factory: pytest.TempPathFactory,
           migrated_databases: MigratedDatabases) -> Iterator[tuple[str, Path]]:
    name, url = migrated_databases.create("stpulse_dashcharts")
    tmp = tmp_path_factory.mktemp("dashcharts")

    async def load() -> None:
        c = _container(url, tmp)
        actor = await new_actor(c.deps, EMAIL)
        async with c.deps.uow() as uow:  # signs in over HTTP too
            await uow.users.update(msgspec.structs.replace(actor.user, email_confirmed_at=NOW))
            await uow.commit()
        shop_id = await connect(c.deps, actor, SHOPS[0][0], SHOPS[0][1], "Средний магазин")
        await sync_shop(c.deps, shop_id)
        await c.close()

    asyncio.run(load())
    yield url, tmp
    migrated_databases.drop(name)


@pytest.fixture
async def ctx(synced):  # type: ignore[no-untyped-def]
    url, tmp = synced
    c = _container(url, tmp)
    yield c, await actor_by_email(c.deps, EMAIL)
    await c.close()


def _series(chart: Chart, name: str, unit: str | None = None) -> list[int | None]:
    return next(s.values for s in chart.series if s.name == name and (unit is None or s.unit == unit))


def _q(url: str) -> dict[str, list[str]]:
    return parse_qs(urlparse(url).query)


async def _ops_row(deps, actor, chart: Chart, day: dt.date) -> dict[str, int | None]:  # type: ignore[no-untyped-def]
    """Операционка for exactly the query of the orders series' link, its row of the span starting on `day`."""
    [url] = {s.url for s in chart.series if s.name == "Заказы"}
    assert urlparse(url).path == "/app/reports/ops"
    q = _q(url)
    req = ReportRequest(month_from=q["from"][0], month_to=q["to"][0], options=(("view", q["view"][0]),),
                        metrics=("ordered_units", "ordered", "delivered"))
    table: Table | None = (await build_report(deps, actor, "ops", req)).table
    assert table is not None
    row = next((r for r in table.rows if r.code == f"{q['view'][0]}:{day.isoformat()}"), None)
    codes = [c.code for c in table.columns]
    return {c: (row.values[codes.index(c)] if row else 0) for c in ("ordered", "ordered_units", "delivered")}


async def _drill_revenue(deps, actor, link: str) -> int:  # type: ignore[no-untyped-def]
    """The ОПиУ drill-down of «Выручка» the point links to, for exactly its days (the page's own call)."""
    assert urlparse(link).path == "/app/reports/pnl/drill"
    q = _q(link)
    first, last = (dt.datetime.strptime(q[k][0], "%d.%m.%Y").date() for k in ("day_from", "day_to"))
    page = await drill_down(deps, actor, "pnl", ReportRequest(month_from=q["from"][0], month_to=q["to"][0]),
                            q["row"][0], q.get("month", [None])[0], 1, DrillFilter(day_from=first, day_to=last))
    return page.amount


async def _sales(deps, actor, view: str) -> Chart:  # type: ignore[no-untyped-def]
    [chart] = await svc.charts(deps, actor, view=view, only=("sales",))
    assert chart.code == "sales" and chart.view == view
    return chart


async def test_sales_by_day_equals_the_reports_it_links_to(ctx) -> None:  # type: ignore[no-untyped-def]
    c, actor = ctx
    chart = await _sales(c.deps, actor, "day")
    assert len(chart.labels) == 30 and chart.labels[0] == "01.09" and chart.labels[-1] == "30.09"
    assert [s.name for s in chart.series] == ["Выручка", "Заказы", "Заказы"]  # no profit by day: the note says why
    assert "по месяцам" in chart.note
    i = chart.labels.index("29.09")
    revenue, orders = _series(chart, "Выручка")[i], _series(chart, "Заказы", None)[i]
    units = _series(chart, "Заказы", "count")[i]
    assert revenue and revenue > 0 and orders and orders > 0 and units and units > 0  # a trading day
    assert revenue == await _drill_revenue(c.deps, actor, chart.links[i])
    ops = await _ops_row(c.deps, actor, chart, dt.date(2026, 9, 29))
    assert (orders, units, revenue) == (ops["ordered"], ops["ordered_units"], ops["delivered"])


async def test_sales_by_week_equals_the_reports_it_links_to(ctx) -> None:  # type: ignore[no-untyped-def]
    c, actor = ctx
    chart = await _sales(c.deps, actor, "week")
    assert len(chart.labels) == 12 and chart.labels[-1] == "28.09–04.10"
    i = chart.labels.index("31.08–06.09")  # a week across two months
    link = chart.links[i]
    assert _q(link)["day_from"] == ["31.08.2026"] and _q(link)["day_to"] == ["06.09.2026"]
    revenue = _series(chart, "Выручка")[i]
    assert revenue and revenue > 0 and revenue == await _drill_revenue(c.deps, actor, link)
    ops = await _ops_row(c.deps, actor, chart, dt.date(2026, 8, 31))
    assert (_series(chart, "Заказы", None)[i], _series(chart, "Заказы", "count")[i]) == (ops["ordered"],
                                                                                       ops["ordered_units"])
    assert ops["ordered"] and ops["ordered"] > 0
    # the week to date ends today: its link stops at 30.09
    assert _q(chart.links[-1])["day_to"] == ["30.09.2026"]


async def test_sales_by_month_equals_the_reports_it_links_to(ctx) -> None:  # type: ignore[no-untyped-def]
    c, actor = ctx
    chart = await _sales(c.deps, actor, "month")
    assert len(chart.labels) == 12 and chart.labels[-1] == "Сентябрь 2026" and chart.note == ""
    i = chart.labels.index("Август 2026")
    q = _q(chart.links[i])
    assert urlparse(chart.links[i]).path == "/app/reports/pnl" and q["from"] == q["to"] == ["2026-08"]
    pnl = (await build_report(c.deps, actor, "pnl", ReportRequest(month_from="2026-08", month_to="2026-08"))).table
    assert pnl is not None
    assert _series(chart, "Выручка")[i] == pnl.row("revenue").values[0] and pnl.row("revenue").values[0]
    assert _series(chart, "Чистая прибыль")[i] == pnl.row("net_profit").values[0]
    ops = await _ops_row(c.deps, actor, chart, dt.date(2026, 8, 1))
    assert (_series(chart, "Заказы", None)[i], _series(chart, "Заказы", "count")[i]) == (ops["ordered"],
                                                                                       ops["ordered_units"])
    assert ops["ordered"] and ops["ordered"] > 0


async def test_the_chart_json_takes_the_switch_and_every_chart_has_its_table(ctx) -> None:  # type: ignore[no-untyped-def]
    c, actor = ctx
    async with http_client(create_app(c.settings, c)) as browser:
        await sign_in(browser, EMAIL, PASSWORD)
        for view, n in (("day", 30), ("week", 12), ("month", 12)):
            took = []  # printed for the record (the first request of this container, then a repeat), not asserted
            for _ in range(2):
                t0 = time.perf_counter()
                answer = await browser.get(f"/app/dashboard/charts.json?chart=sales&view={view}")
                took.append(round((time.perf_counter() - t0) * 1000, 1))
            print(f"\ncharts.json?chart=sales&view={view}: {took[0]} ms, again {took[1]} ms")
            assert answer.status_code == 200
            [chart] = answer.json()["charts"]
            assert chart["view"] == view and len(chart["labels"]) == n
            assert chart["series"] == [msgspec.to_builtins(s) for s in (await _sales(c.deps, actor, view)).series]
        everything = (await browser.get("/app/dashboard/charts.json")).json()["charts"]
        assert [x["code"] for x in everything] == ["sales", "expenses", "top_profit", "top_loss"]
        page = await browser.get("/app/dashboard/")
        assert page.status_code == 200
        for code in ("expenses", "top_profit"):
            assert f'data-chart-table="{code}"' in page.text
        assert 'hx-get="/app/dashboard/charts/sales?view=month' in page.text  # the sales card comes after the page
        for code in ("expenses", "top_profit", "top_loss"):  # the month charts share one request
            assert f'data-chart="{code}" data-view="" data-src="/app/dashboard/charts.json' \
                   f'?chart=expenses,top_profit,top_loss&amp;shops=' in page.text
        card = await browser.get("/app/dashboard/charts/sales?view=week", headers={"hx-request": "true"})
        assert card.status_code == 200 and 'data-view="week"' in card.text
        assert 'data-switch="sales"' in card.text and "Месяцы" in card.text
        unknown = await browser.get("/app/dashboard/charts/nosuch?view=week", headers={"hx-request": "true"})
        assert unknown.status_code == 404 and "Такого графика нет" in unknown.text
        assert "<th scope=\"col\">Неделя</th>" in card.text and "Заказы, шт." in card.text
        week = await _sales(c.deps, actor, "week")
        i = week.labels.index("31.08–06.09")
        grouped = _grouped_rub(_series(week, "Выручка")[i])
        assert grouped in card.text  # the table's numbers are grouped Russian ones


def _grouped_rub(kopecks: int | None) -> str:
    from stpulse.domain.reports.table import Kind, format_value

    return format_value(kopecks, Kind.MONEY)
