"""The dashboard of the shared shop selection: tiles Сегодня, Вчера, Месяц к дате, Прогноз на месяц, Прошлый месяц,
and the charts' data — all read through the reports' use cases (ОПиУ, Юнитка and the drill-down of «Выручка»),
so every number is the report's own, with the member's shop access applied there.

Reports are by months; a day tile is the drill-down of the ОПиУ row «Выручка» for that day (the accrual lines of
sales), which is also where it links."""

from __future__ import annotations

import calendar
import datetime as dt
import uuid

import msgspec

from stpulse.application.accounts.actor import Actor
from stpulse.application.dashboard.charts import (
    Chart,
    Series,
    chart_json,
    charts,
    ops_request,
    ordered,
    page_charts,
)
from stpulse.application.dashboard.deps import DashboardDeps
from stpulse.application.reports.drill import row_days
from stpulse.application.reports.views import ReportRequest, build_report, build_reports, list_shops
from stpulse.domain.dashboard.tiles import (
    CLOCK_LABELS,
    CLOCKS_NOTE,
    KINDS,
    Figure,
    Tile,
    figures,
    forecast,
    month_figures,
    with_clock,
    with_orders,
)
from stpulse.domain.kernel.moscow import as_moscow
from stpulse.domain.kernel.period import month_label, month_text
from stpulse.domain.ledger.shops import Shop
from stpulse.domain.reports.table import Kind, Table

__all__ = ["Chart", "Dashboard", "Series", "chart_json", "charts", "dashboard", "forecast_as_of", "overview"]


class Dashboard(msgspec.Struct, frozen=True, kw_only=True):
    tiles: tuple[Tile, ...]
    shops: tuple[Shop, ...]
    selected: tuple[uuid.UUID, ...]
    today: dt.date


def _month(day: dt.date) -> int:
    return (day.year - 1970) * 12 + day.month - 1


def _qs(month_from: int, month_to: int, shops: tuple[uuid.UUID, ...]) -> str:
    return f"from={month_text(month_from)}&to={month_text(month_to)}" + "".join(f"&shops={s}" for s in shops)


async def _table(deps: DashboardDeps, actor: Actor, code: str, first: int, last: int,
                 shops: tuple[uuid.UUID, ...]) -> Table | None:
    req = ReportRequest(shop_ids=shops, month_from=month_text(first), month_to=month_text(last))
    return (await build_report(deps, actor, code, req)).table


async def _days(deps: DashboardDeps, actor: Actor, spans: list[tuple[dt.date, dt.date]],
                shops: tuple[uuid.UUID, ...]) -> list[dict[str, int | None]]:
    """Revenue, units and accrual lines of each span of days: the ОПиУ drill-down of «Выручка» the tile links to."""
    m = _month(spans[0][0])
    req = ReportRequest(shop_ids=shops, month_from=month_text(m - 1), month_to=month_text(m))
    found = await row_days(deps, actor, "pnl", req, "revenue", spans)
    return [{"revenue": d.amount, "units": d.quantity, "lines": d.lines} for d in found]


def day_url(day: dt.date, shops: tuple[uuid.UUID, ...], last: dt.date | None = None) -> str:
    span = f"day_from={day:%d.%m.%Y}&day_to={(last or day):%d.%m.%Y}"
    return (f"/app/reports/pnl/drill?row=revenue&month={month_text(_month(day))}&{span}&{_qs(_month(day), _month(day), shops)}")


def _day_tile(code: str, title: str, day: dt.date, values: dict[str, int | None], before: dict[str, int | None],
              before_day: dt.date, shops: tuple[uuid.UUID, ...]) -> Tile:
    return Tile(code=code, title=title, period=f"{day:%d.%m.%Y}", url=day_url(day, shops),
                figures=figures(values, before), compared_with=f"к {before_day:%d.%m.%Y}",
                profit_note="Прибыль считается по месяцам — см. «Месяц к дате»")


async def _chosen(deps: DashboardDeps, actor: Actor,
                  shop_ids: tuple[uuid.UUID, ...]) -> tuple[tuple[Shop, ...], tuple[uuid.UUID, ...]]:
    visible = await list_shops(deps, actor)
    chosen = tuple(s.id for s in visible if not shop_ids or s.id in shop_ids) or tuple(s.id for s in visible)
    return visible, chosen


async def dashboard(deps: DashboardDeps, actor: Actor, shop_ids: tuple[uuid.UUID, ...] = ()) -> Dashboard:
    return (await overview(deps, actor, shop_ids))[0]


async def overview(deps: DashboardDeps, actor: Actor,
                   shop_ids: tuple[uuid.UUID, ...] = ()) -> tuple[Dashboard, list[Chart]]:
    """The tiles and the charts of the home page, each report table read once (the charts reuse last month's)."""
    visible, chosen = await _chosen(deps, actor, shop_ids)
    today = as_moscow(deps.clock.now()).date()
    if not chosen:
        return Dashboard(tiles=(), shops=visible, selected=(), today=today), []
    m = _month(today)
    yesterday, before = today - dt.timedelta(days=1), today - dt.timedelta(days=2)
    d_today, d_yesterday, d_before = await _days(deps, actor, [(d, d) for d in (today, yesterday, before)], chosen)
    wanted = [(code, ReportRequest(shop_ids=chosen, month_from=month_text(month), month_to=month_text(month)))
              for month in (m, m - 1, m - 2) for code in ("pnl", "unit")]
    wanted += [("ops", ops_request(view, today, chosen)) for view in ("month", "day")]  # orders: Операционка
    *tables, by_month, by_day = [view.table for view in await build_reports(deps, actor, wanted)]
    cur, prev, prev2 = (month_figures(tables[i], tables[i + 1]) for i in (0, 2, 4))
    months, days = ordered(by_month), ordered(by_day)
    cur, prev, prev2 = (with_orders(values, months.get(f"{month_text(month)}-01", 0) if by_month else None)
                        for values, month in ((cur, m), (prev, m - 1), (prev2, m - 2)))
    d_today, d_yesterday, d_before = (with_orders(values, days.get(day.isoformat(), 0) if by_day else None)
                                      for values, day in ((d_today, today), (d_yesterday, yesterday), (d_before, before)))
    last_day_prev = today.replace(day=1) - dt.timedelta(days=1)
    days_in_prev = calendar.monthrange(last_day_prev.year, last_day_prev.month)[1]
    cur_c, prev_c, prev2_c = (with_clock(f, tables[i]) for f, i in ((cur, 0), (prev, 2), (prev2, 4)))
    tiles = (
        _day_tile("today", "Сегодня", today, d_today, d_yesterday, yesterday, chosen),
        _day_tile("yesterday", "Вчера", yesterday, d_yesterday, d_before, before, chosen),
        Tile(code="month", title="Месяц к дате", period=f"1–{today.day} {month_label(m).split()[0].lower()}",
             url=f"/app/reports/pnl?{_qs(m, m, chosen)}", compared_with="к тем же дням прошлого месяца (пропорционально)",
             figures=figures(cur_c, _pro_rata(prev_c, today.day, days_in_prev), CLOCK_LABELS), profit_note=CLOCKS_NOTE),
        Tile(code="forecast", title="Прогноз на месяц", period=month_label(m), url=f"/app/reports/pnl?{_qs(m, m, chosen)}",
             figures=figures(forecast(cur, today), prev), compared_with="к прошлому месяцу",
             profit_note=f"Если остаток месяца пройдёт как {today.day} дн. до сегодня"),
        Tile(code="last_month", title="Прошлый месяц", period=month_label(m - 1),
             url=f"/app/reports/pnl?{_qs(m - 1, m - 1, chosen)}", figures=figures(prev_c, prev2_c, CLOCK_LABELS),
             compared_with=f"к {month_label(m - 2).lower()}", profit_note=CLOCKS_NOTE),
    ) + (await _stock_tile(deps, actor, m, today, chosen), await _payout_tile(deps, today, chosen))
    board = Dashboard(tiles=tiles, shops=visible, selected=chosen, today=today)
    return board, page_charts(m, chosen, tables[2], tables[3])


async def _stock_tile(deps: DashboardDeps, actor: Actor, m: int, today: dt.date,
                      chosen: tuple[uuid.UUID, ...]) -> Tile:
    """Stock value at cost: the «Итого» of «Товарные остатки» (registry code `stock`) for the same shops; None
    («нет данных») when no stock history is imported."""
    table = await _table(deps, actor, "stock", m, m, chosen)
    value = stock_value(table)
    return Tile(code="stock_value", title="Товарные остатки", period=f"на {today:%d.%m.%Y}",
                url=f"/app/reports/stock?{_qs(m, m, chosen)}",
                figures=(Figure(code="stock_value", label="По себестоимости", kind=Kind.MONEY, value=value),),
                profit_note="" if value is not None else "История остатков ещё не загружена")


PAYOUT_LAG_DAYS = 5  # Ozon pays a half-month period's «к выплате» 5 days after it ends (docs/reconciliation.md)


async def next_payout(deps: DashboardDeps, today: dt.date,
                      chosen: tuple[uuid.UUID, ...]) -> tuple[dt.date, int] | None:
    """The next Ozon payout of the chosen (already access-checked) shops from the imported cash-flow statement:
    the ended periods not yet due (last day + 5 ≥ today), the earliest due day and Σ «к выплате» (`invoice`) of
    the periods due then. None: no such statement imported."""
    async with deps.uow() as uow:
        periods = await uow.settlement.cash_flow_totals(chosen, today - dt.timedelta(days=40), today)
    due: dict[dt.date, int] = {}
    for p in periods:
        day = p.last_day + dt.timedelta(days=PAYOUT_LAG_DAYS)
        if p.invoice is not None and p.last_day < today <= day:
            due[day] = due.get(day, 0) + p.invoice
    if not due:
        return None
    first = min(due)
    return first, due[first]


async def _payout_tile(deps: DashboardDeps, today: dt.date, chosen: tuple[uuid.UUID, ...]) -> Tile:
    found = await next_payout(deps, today, chosen)
    m = _month(today)
    return Tile(code="payout", title="Следующая выплата Ozon", period=f"{found[0]:%d.%m.%Y}" if found else "",
                url=f"/app/reports/recon?{_qs(m - 1, m, chosen)}",
                figures=(Figure(code="payout", label="К выплате", kind=Kind.MONEY,
                                value=found[1] if found else None),),
                profit_note="По отчёту о движении денежных средств Ozon" if found
                else "Отчёт Ozon о движении денежных средств за прошедший период ещё не загружен")


def stock_value(table: Table | None) -> int | None:
    """The «Стоимость по себестоимости» of the stock report's «Итого» row (None: no stock rows)."""
    if table is None or not any(r.code != "total" for r in table.rows):
        return None
    column = next(i for i, c in enumerate(table.columns) if c.code == "value")
    return table.row("total").values[column]


def _pro_rata(values: dict[str, int | None], days: int, of: int) -> dict[str, int | None]:
    """A whole month's money and counts scaled to its first `days` days (percents as they are), for the change."""
    out: dict[str, int | None] = {}
    for code, value in values.items():
        out[code] = value if value is None or KINDS[code] is Kind.PERCENT else value * min(days, of) // of
    return out


async def forecast_as_of(deps: DashboardDeps, actor: Actor, day: dt.date,
                         shop_ids: tuple[uuid.UUID, ...] = ()) -> Tile:
    """The month's forecast as it would have read on `day` (revenue and units of the days 1…day, drawn to the end
    of the month), printed beside the month's actual figures from ОПиУ and Юнитка."""
    visible = await list_shops(deps, actor)
    chosen = tuple(s.id for s in visible if not shop_ids or s.id in shop_ids)
    m = _month(day)
    [to_date] = await _days(deps, actor, [(day.replace(day=1), day)], chosen)
    to_date.pop("lines")
    pnl, unit = await _table(deps, actor, "pnl", m, m, chosen), await _table(deps, actor, "unit", m, m, chosen)
    actual = month_figures(pnl, unit)
    predicted = forecast(to_date, day)
    return Tile(code="forecast", title="Прогноз на месяц", period=month_label(m),
                url=f"/app/reports/pnl?{_qs(m, m, chosen)}", figures=figures(predicted, actual),
                compared_with="отклонение прогноза от факта", profit_note=f"По дням 1–{day.day}",
                actual=figures({k: actual[k] for k in predicted}))
