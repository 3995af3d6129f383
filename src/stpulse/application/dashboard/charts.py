"""The dashboard's charts: the numbers each chart draws and its table shows, all taken from finished report tables
(read through `build_reports`, which caches them), so every point is the report's own for the member's shops.

«Выручка, прибыль и заказы» has a day / week / month switch (`VIEWS`):
- revenue: by day and week the «Доставлено, ₽» of Операционка by that day or week (the sale accruals of the daily
  rollups — the ОПиУ drill-down of «Выручка» for those days, where a point links); by month ОПиУ's «Выручка»;
- orders (₽ and units, by posting creation date): Операционка's «Заказано» in the same «Разрез»;
- profit: ОПиУ's «Чистая прибыль» by month only. Cost of goods, own expenses and the tax are reckoned by months
  in ОПиУ, so no report gives a profit per day or week; the chart says so instead of guessing one."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import msgspec

from stpulse.application.accounts.actor import Actor
from stpulse.application.dashboard.deps import DashboardDeps
from stpulse.application.reports.views import ReportRequest, build_reports, list_shops
from stpulse.domain.kernel.errors import NotFound
from stpulse.domain.kernel.moscow import as_moscow
from stpulse.domain.kernel.period import month_label, month_text
from stpulse.domain.reports.table import Kind, Table

TOP = 10
VIEWS = (("day", "Дни"), ("week", "Недели"), ("month", "Месяцы"))
CODES = ("sales", "expenses", "top_profit", "top_loss")  # the dashboard's charts
DAYS, WEEKS, MONTHS = 30, 12, 12
NO_DAILY_PROFIT = ("Прибыль — по месяцам (ОПиУ): себестоимость, свои расходы и налог считаются за месяц, "
                   "по дням и неделям прибыли нет")


class Series(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    code: str = ""  # what it is (revenue, profit, orders, order_units): the same colour in every view
    values: list[int | None]
    unit: Kind | None = None  # None: the chart's unit; another unit is drawn on a second axis
    url: str = ""  # the report this series comes from


class Chart(msgspec.Struct, frozen=True, kw_only=True):
    """What a chart draws and its table shows: the server sends these numbers, the browser only draws them."""

    code: str
    title: str
    type: str  # "bar" | "line" | "pie" | "hbar" | "combo" (money bars, counts as a line on a second axis)
    unit: Kind
    labels: list[str]
    series: list[Series]
    url: str  # the report the numbers come from
    links: list[str] = []  # per label: the report of exactly that point (empty: `url` for all)
    view: str = ""  # the chosen span of a chart with a switch (`VIEWS`)
    note: str = ""
    first_header: str = ""  # the table's first column
    lazy: bool = False  # no numbers yet: the page asks for the chart after it has loaded (`charts(only=…)`)


def month_of(day: dt.date) -> int:
    return (day.year - 1970) * 12 + day.month - 1


def qs(month_from: int, month_to: int, shops: tuple[uuid.UUID, ...]) -> str:
    return f"from={month_text(month_from)}&to={month_text(month_to)}" + "".join(f"&shops={s}" for s in shops)


def buckets(view: str, today: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The spans a switch shows, oldest first: the last 30 days, the last 12 ISO weeks (this one to date) or the
    last 12 months (this one to date)."""
    if view == "day":
        return [(d, d) for d in (today - dt.timedelta(days=DAYS - 1 - i) for i in range(DAYS))]
    if view == "week":
        monday = today - dt.timedelta(days=today.weekday())
        starts = [monday - dt.timedelta(weeks=WEEKS - 1 - i) for i in range(WEEKS)]
        return [(s, min(s + dt.timedelta(days=6), today)) for s in starts]
    m = month_of(today)
    out = []
    for month in range(m - MONTHS + 1, m + 1):
        first = dt.date(1970 + month // 12, month % 12 + 1, 1)
        out.append((first, min(dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
                               - dt.timedelta(days=1), today)))
    return out


def _label(view: str, first: dt.date, last: dt.date) -> str:
    if view == "day":
        return f"{first:%d.%m}"
    if view == "week":
        return f"{first:%d.%m}–{first + dt.timedelta(days=6):%d.%m}"
    return month_label(month_of(first))


def revenue_url(first: dt.date, last: dt.date, shops: tuple[uuid.UUID, ...]) -> str:
    """The ОПиУ drill-down of «Выручка» for exactly these days (a week may span two months)."""
    span = f"day_from={first:%d.%m.%Y}&day_to={last:%d.%m.%Y}"
    return f"/app/reports/pnl/drill?row=revenue&{span}&{qs(month_of(first), month_of(last), shops)}"


def _column(table: Table | None, code: str) -> int | None:
    return next((i for i, c in enumerate(table.columns) if c.code == code), None) if table else None


def ops_request(view: str, today: dt.date, chosen: tuple[uuid.UUID, ...]) -> ReportRequest:
    """Операционка in the «Разрез» of a view over its spans (the worker warms the month view; the tiles read the
    day and month views with the same requests, so the chart and the tiles share the tables)."""
    return ReportRequest(shop_ids=chosen, month_from=month_text(month_of(buckets(view, today)[0][0])),
                         month_to=month_text(month_of(today)), options=(("view", view),),
                         metrics=("ordered_units", "ordered", "delivered"))


def ordered(ops: Table | None) -> dict[str, int]:
    """Операционка's «Заказано, ₽» of each span by its first day (ISO), as the chart and the tiles show it."""
    j = _column(ops, "ordered")
    if ops is None or j is None:
        return {}
    return {r.code.split(":", 1)[1]: r.values[j] or 0 for r in ops.rows if ":" in r.code}


async def sales_chart(deps: DashboardDeps, actor: Actor, view: str, chosen: tuple[uuid.UUID, ...]) -> Chart:
    """«Выручка, прибыль и заказы» by day, week or month for the chosen (visible) shops: Операционка in that
    «Разрез» and, by month, ОПиУ of the twelve months — one `build_reports` call."""
    view = view if view in dict(VIEWS) else "month"
    today = as_moscow(deps.clock.now()).date()
    spans = buckets(view, today)
    first_m, last_m = month_of(spans[0][0]), month_of(today)
    wanted = [("ops", ops_request(view, today, chosen))]
    if view == "month":
        wanted.append(("pnl", ReportRequest(shop_ids=chosen, month_from=month_text(first_m),
                                            month_to=month_text(last_m))))
    views = await build_reports(deps, actor, wanted)
    ops = views[0].table
    year = views[1].table if len(views) > 1 else None
    rows = {r.code.split(":", 1)[1]: r.values for r in ops.rows if ":" in r.code} if ops else {}
    cols = {c: _column(ops, c) for c in ("ordered", "ordered_units", "delivered")}

    def ops_series(code: str) -> list[int | None]:  # a span with no row had no orders and no sales
        j, out = cols[code], list[int | None]()
        for first, _ in spans:
            values = rows.get(first.isoformat())
            out.append(values[j] or 0 if values is not None and j is not None else 0)
        return out

    ops_url = f"/app/reports/ops?{qs(first_m, last_m, chosen)}&view={view}"
    pnl_url = f"/app/reports/pnl?{qs(first_m, last_m, chosen)}"
    if view == "month":
        pnl = {c.code: i for i, c in enumerate(year.columns)} if year else {}

        def pnl_series(code: str) -> list[int | None]:
            row = year.row(code) if year else None
            return [row.values[pnl[month_text(month_of(f))]] if row and month_text(month_of(f)) in pnl else None
                    for f, _ in spans]

        money = [Series(name="Выручка", code="revenue", values=pnl_series("revenue"), url=pnl_url),
                 Series(name="Чистая прибыль", code="profit", values=pnl_series("net_profit"),
                        url=pnl_url)]
        links = [f"/app/reports/pnl?{qs(month_of(f), month_of(f), chosen)}" for f, _ in spans]
    else:
        money = [Series(name="Выручка", code="revenue", values=ops_series("delivered"), url=ops_url)]
        links = [revenue_url(f, t, chosen) for f, t in spans]
    return Chart(code="sales", title="Выручка, прибыль и заказы", type="combo", unit=Kind.MONEY,
                 labels=[_label(view, f, t) for f, t in spans],
                 series=[*money, Series(name="Заказы", code="orders", values=ops_series("ordered"), url=ops_url),
                         Series(name="Заказы", code="order_units", values=ops_series("ordered_units"),
                                unit=Kind.COUNT, url=ops_url)],
                 url=pnl_url if view == "month" else ops_url, links=links, view=view,
                 note="" if view == "month" else NO_DAILY_PROFIT,
                 first_header={"day": "День", "week": "Неделя", "month": "Месяц"}[view])


async def _chosen(deps: DashboardDeps, actor: Actor, shop_ids: tuple[uuid.UUID, ...]) -> tuple[uuid.UUID, ...]:
    visible = await list_shops(deps, actor)
    return tuple(s.id for s in visible if not shop_ids or s.id in shop_ids) or tuple(s.id for s in visible)


async def charts(deps: DashboardDeps, actor: Actor, shop_ids: tuple[uuid.UUID, ...] = (), view: str = "month",
                 only: tuple[str, ...] = ()) -> list[Chart]:
    """The dashboard's charts (`only` those of these codes): sales by `view`, the expense structure and the top SKUs
    of last month. An unknown code in `only` is a NotFound."""
    if set(only) - set(CODES):
        raise NotFound("Такого графика нет")
    chosen = await _chosen(deps, actor, shop_ids)
    if not chosen:
        return []
    out = [await sales_chart(deps, actor, view, chosen)] if not only or "sales" in only else []
    if not only or set(only) - {"sales"}:
        m = month_of(as_moscow(deps.clock.now()).date())
        last, unit = [v.table for v in await build_reports(deps, actor, [
            (code, ReportRequest(shop_ids=chosen, month_from=month_text(m - 1), month_to=month_text(m - 1)))
            for code in ("pnl", "unit")])]
        out += _month_charts(m, chosen, last, unit)
    return [c for c in out if not only or c.code in only]


def page_charts(m: int, chosen: tuple[uuid.UUID, ...], last: Table | None, unit: Table | None) -> list[Chart]:
    """The charts of the page from the tables the tiles read already (last month's ОПиУ and Юнитка); «Выручка,
    прибыль и заказы» comes after the page (its Операционка is a table of its own), so the page waits for no more
    than the tiles."""
    sales = Chart(code="sales", title="Выручка, прибыль и заказы", type="combo", unit=Kind.MONEY, labels=[],
                  series=[], url=f"/app/reports/pnl?{qs(m - 11, m, chosen)}", view="month", lazy=True)
    return [sales, *_month_charts(m, chosen, last, unit)]


def _month_charts(m: int, chosen: tuple[uuid.UUID, ...], last: Table | None, unit: Table | None) -> list[Chart]:
    out = []
    if last is not None:
        parts: list[tuple[str, int]] = []
        for row in last.rows:
            if (row.code.startswith("ozon:") or row.code in ("cogs", "external_ads", "tax") or
                    row.code.startswith("opex:")) and row.total and row.total < 0:
                parts.append((row.label.replace(" (−)", ""), -row.total))
        out.append(Chart(code="expenses", title=f"Структура расходов, {month_label(m - 1).lower()}", type="pie",
                         unit=Kind.MONEY, labels=[p[0] for p in parts],
                         series=[Series(name="Расходы", values=[p[1] for p in parts])],
                         url=f"/app/reports/pnl?{qs(m - 1, m - 1, chosen)}", first_header="Статья"))
    if unit is not None:
        profit = next(i for i, c in enumerate(unit.columns) if c.code == "profit")
        skus = [(r.label, r.values[profit] or 0) for r in unit.rows if ":" in r.code]
        best = sorted((s for s in skus if s[1] > 0), key=lambda s: -s[1])[:TOP]
        worst = sorted((s for s in skus if s[1] < 0), key=lambda s: s[1])[:TOP]
        url = f"/app/reports/unit?{qs(m - 1, m - 1, chosen)}"
        out.append(Chart(code="top_profit", title="Самые прибыльные товары", type="hbar", unit=Kind.MONEY,
                         labels=[s[0] for s in best], series=[Series(name="Прибыль", values=[s[1] for s in best])],
                         url=url, first_header="Товар"))
        out.append(Chart(code="top_loss", title="Самые убыточные товары", type="hbar", unit=Kind.MONEY,
                         labels=[s[0] for s in worst], series=[Series(name="Убыток", values=[s[1] for s in worst])],
                         url=url, first_header="Товар"))
    return out


def chart_json(items: list[Chart]) -> dict[str, Any]:
    return {"charts": msgspec.to_builtins(items)}
