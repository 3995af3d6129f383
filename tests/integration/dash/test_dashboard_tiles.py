"""Issue 16, acceptance 1: on the medium sandbox shop every tile equals the report it links to, for the same period
(one test per tile), and the month's forecast of a closed month computed as of its 15th is printed beside the actual.

The shop is synced once for the module (3 months of history); each test reads it through a fresh container."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from stpulse.application.dashboard import home
from stpulse.application.ozon.sync import sync_shop
from stpulse.application.reports.drill import drill_down
from stpulse.application.reports.views import ReportRequest, build_report
from stpulse.domain.dashboard.tiles import Tile, forecast, month_figures, with_clock, with_orders
from stpulse.domain.reports.drill import DrillFilter
from stpulse.entrypoints.bootstrap import Container
from tests.sandbox_shop import (
    actor_by_email,
    connect,
    new_actor,
    sandbox_container,
)
from tests.services import MigratedDatabases

NOW = dt.datetime(2026, 9, 30, 9, 0, tzinfo=dt.UTC)  # the sandbox's today
SHOPS = [("763001", "key-763001", 7, "medium")]
EMAIL = "dash-tiles@example.ru"


def _container(url: str, tmp: Path) -> Container:
    return sandbox_container(url, tmp, SHOPS, NOW)


@pytest.fixture(scope="module")
def synced(tmp_path_factory: pytest.TempPathFactory, migrated_databases: MigratedDatabases) -> Iterator[tuple[str, Path]]:
    name, url = migrated_databases.create("stpulse_dash")
    tmp = tmp_path_factory.mktemp("dash")

    async def load() -> None:
        c = _container(url, tmp)
        actor = await new_actor(c.deps, EMAIL)
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
    yield c.deps, await actor_by_email(c.deps, EMAIL)
    await c.close()


async def _tile(deps, actor, code: str) -> Tile:  # type: ignore[no-untyped-def]
    board = await home.dashboard(deps, actor)
    return next(t for t in board.tiles if t.code == code)


def _values(tile: Tile) -> dict[str, int | None]:
    return {f.code: f.value for f in tile.figures}


async def _linked_month(deps, actor, tile: Tile,  # type: ignore[no-untyped-def]
                        clock: bool = False) -> dict[str, int | None]:
    """The figures of the ОПиУ (and Юнитка) for exactly the period in the tile's link (`clock`: with ОПиУ's
    estimated profit by order date)."""
    url = urlparse(tile.url)
    assert url.path == "/app/reports/pnl"
    q = parse_qs(url.query)
    req = ReportRequest(month_from=q["from"][0], month_to=q["to"][0])
    pnl = (await build_report(deps, actor, "pnl", req)).table
    unit = (await build_report(deps, actor, "unit", req)).table
    out = with_clock(month_figures(pnl, unit), pnl) if clock else month_figures(pnl, unit)
    return with_orders(out, await _ordered(deps, actor, q["from"][0], "month", f"{q['from'][0]}-01"))


async def _ordered(deps, actor, month: str, view: str, key: str) -> int:  # type: ignore[no-untyped-def]
    """Операционка's «Заказано, ₽» of one day or month, from the report for that month alone."""
    ops = (await build_report(deps, actor, "ops", ReportRequest(month_from=month, month_to=month,
                                                                options=(("view", view),)))).table
    assert ops is not None
    j = next(i for i, c in enumerate(ops.columns) if c.code == "ordered")
    return next((r.values[j] or 0 for r in ops.rows if r.code.endswith(f":{key}")), 0)


async def _linked_day(deps, actor, tile: Tile) -> dict[str, int | None]:  # type: ignore[no-untyped-def]
    """The drill-down of «Выручка» the day tile links to, for exactly its days."""
    url = urlparse(tile.url)
    assert url.path == "/app/reports/pnl/drill"
    q = parse_qs(url.query)
    first, last = (dt.datetime.strptime(q[k][0], "%d.%m.%Y").date() for k in ("day_from", "day_to"))
    page = await drill_down(deps, actor, "pnl", ReportRequest(month_from=q["from"][0], month_to=q["to"][0]),
                            q["row"][0], q["month"][0], 1, DrillFilter(day_from=first, day_to=last))  # the page's own
    units = sum(s.quantity for s in page.by_sku) + (page.sku_rest.quantity if page.sku_rest else 0)
    orders = await _ordered(deps, actor, f"{first:%Y-%m}", "day", first.isoformat())
    return {"revenue": page.amount, "orders": orders, "units": units, "lines": page.total}


async def test_tile_today_equals_its_report(ctx) -> None:  # type: ignore[no-untyped-def]
    deps, actor = ctx
    tile = await _tile(deps, actor, "today")
    assert tile.period == "30.09.2026"
    assert _values(tile) == await _linked_day(deps, actor, tile)


async def test_tile_yesterday_equals_its_report(ctx) -> None:  # type: ignore[no-untyped-def]
    deps, actor = ctx
    tile = await _tile(deps, actor, "yesterday")
    values = _values(tile)
    assert tile.period == "29.09.2026" and values == await _linked_day(deps, actor, tile)
    assert values["revenue"] and values["revenue"] > 0 and values["units"]  # a trading day of the medium shop
    assert values["orders"] and values["orders"] > 0  # Операционка's orders of that day


async def test_tile_month_to_date_equals_its_report(ctx) -> None:  # type: ignore[no-untyped-def]
    deps, actor = ctx
    tile = await _tile(deps, actor, "month")
    assert "from=2026-09&to=2026-09" in tile.url
    values = _values(tile)
    assert values == await _linked_month(deps, actor, tile, clock=True)
    assert values["revenue"] and values["revenue"] > 0 and values["profit"] is not None
    assert values["orders"] and values["orders"] > 0
    _two_clocks(tile)


async def test_tile_last_month_equals_its_report(ctx) -> None:  # type: ignore[no-untyped-def]
    deps, actor = ctx
    tile = await _tile(deps, actor, "last_month")
    assert "from=2026-08&to=2026-08" in tile.url
    values = _values(tile)
    assert values == await _linked_month(deps, actor, tile, clock=True)
    assert values["revenue"] and values["revenue"] > 0
    _two_clocks(tile)


def _two_clocks(tile: Tile) -> None:
    """Issue 12, «Two clocks»: the tile shows the confirmed profit and the estimate by order date, each labelled."""
    labels = {f.code: f.label for f in tile.figures}
    assert labels["profit"] == "Прибыль по начислениям (подтверждено)"
    assert labels["profit_est"] == "Прибыль по заказам (оценка)"
    assert _values(tile)["profit_est"] is not None
    assert "по дате заказа" in tile.profit_note


async def test_tile_forecast_is_its_report_drawn_to_the_month_end(ctx) -> None:  # type: ignore[no-untyped-def]
    deps, actor = ctx
    tile = await _tile(deps, actor, "forecast")
    linked = await _linked_month(deps, actor, tile)
    assert _values(tile) == forecast(linked, NOW.date())
    assert _values(tile)["revenue"] == linked["revenue"]  # on the 30th of a 30-day month the forecast is the report


async def test_forecast_of_a_closed_month_as_of_its_15th_beside_the_actual(ctx) -> None:  # type: ignore[no-untyped-def]
    deps, actor = ctx
    tile = await home.forecast_as_of(deps, actor, dt.date(2026, 8, 15))
    predicted, actual = _values(tile), {f.code: f.value for f in tile.actual}
    report = month_figures((await build_report(deps, actor, "pnl", ReportRequest(month_from="2026-08",
                                                                                  month_to="2026-08"))).table,
                           (await build_report(deps, actor, "unit", ReportRequest(month_from="2026-08",
                                                                                   month_to="2026-08"))).table)
    assert actual == {k: report[k] for k in actual}
    print(f"\nПрогноз на август 2026 на 15.08: выручка {predicted['revenue'] / 100:,.2f} ₽, "
          f"{predicted['units']} шт.; факт: выручка {actual['revenue'] / 100:,.2f} ₽, {actual['units']} шт.; "
          f"отклонение выручки {[f.change_bp for f in tile.figures if f.code == 'revenue'][0] / 100:+.1f} %")
    assert predicted["revenue"] and actual["revenue"]
    assert abs(predicted["revenue"] - actual["revenue"]) < actual["revenue"]  # a forecast, not a copy or a zero


async def test_tile_stock_value_equals_the_stock_report(ctx) -> None:  # type: ignore[no-untyped-def]
    """Issue 16: stock value at cost is the «Итого» of «Товарные остатки» for the tile's own link."""
    deps, actor = ctx
    tile = await _tile(deps, actor, "stock_value")
    url = urlparse(tile.url)
    assert url.path == "/app/reports/stock"
    q = parse_qs(url.query)
    table = (await build_report(deps, actor, "stock", ReportRequest(month_from=q["from"][0], month_to=q["to"][0]))).table
    assert table is not None
    value = next(i for i, c in enumerate(table.columns) if c.code == "value")
    stock_rows = [r for r in table.rows if r.code != "total"]
    expected = table.row("total").values[value] if stock_rows else None
    assert _values(tile) == {"stock_value": expected}
    if stock_rows:  # the total is the rows' own sum (the report's figure, not recomputed here)
        assert expected == sum(r.values[value] or 0 for r in stock_rows)


async def test_tile_next_payout_equals_the_imported_cash_flow_statement(ctx) -> None:  # type: ignore[no-untyped-def]
    """Issue 16: the next Ozon payout is Σ «к выплате» of the statement periods due next (5 days after they end),
    read from the imported statement; «нет данных» (None) when none is due."""
    deps, actor = ctx
    tile = await _tile(deps, actor, "payout")
    today = dt.date(2026, 9, 30)
    async with deps.uow() as uow:
        shops = [s.id for s in await uow.shops.for_account(actor.account_id)]
        periods = await uow.settlement.cash_flow_totals(shops, dt.date(2026, 1, 1), today)
    pending = sorted((p.last_day + dt.timedelta(days=5), p.invoice) for p in periods
                     if p.invoice is not None and p.last_day < today <= p.last_day + dt.timedelta(days=5))
    if pending:
        day = pending[0][0]
        assert tile.period == f"{day:%d.%m.%Y}"
        assert _values(tile) == {"payout": sum(v for d, v in pending if d == day and v is not None)}
    else:
        assert _values(tile) == {"payout": None}


async def test_next_payout_mid_month_is_the_first_half_statement(ctx) -> None:  # type: ignore[no-untyped-def]
    """On 18 September the 1–15 September period has ended and is due on the 20th: its «к выплате», summed over the
    shops, is the next payout — exactly the imported statement's figure."""
    deps, actor = ctx
    async with deps.uow() as uow:
        shops = tuple(s.id for s in await uow.shops.for_account(actor.account_id))
        periods = await uow.settlement.cash_flow_totals(shops, dt.date(2026, 9, 1), dt.date(2026, 9, 30))
    first_half = [p for p in periods if p.first_day == dt.date(2026, 9, 1) and p.last_day == dt.date(2026, 9, 15)]
    assert first_half and all(p.invoice is not None for p in first_half)  # the sync imported the statement
    found = await home.next_payout(deps, dt.date(2026, 9, 18), shops)
    assert found == (dt.date(2026, 9, 20), sum(p.invoice or 0 for p in first_half))
