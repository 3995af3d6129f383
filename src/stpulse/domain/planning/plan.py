"""План: monthly targets per shop (or per SKU) beside the fact, % done and the month-end forecast.

The shop-level fact of a month is ОПиУ's own figure for the chosen shops (Чистая выручка, Чистая прибыль, the
advertising lines), so the plan never disagrees with the P&L; units are net units sold (sold + bought out −
returned). A SKU's fact is its own sales lines of the month. The forecast (see `forecast.py`) is shown for the
month that contains the as-of day; a closed month's forecast is its fact, a future month has none.
Behind plan is red, ahead is green — for advertising and ДРР the other way round (spending less is ahead).
"""

from __future__ import annotations

import msgspec
import numpy as np

from stpulse.domain.kernel.period import (
    Period,
    day_date,
    day_number,
    month_first_day,
    month_label,
    period_label,
)
from stpulse.domain.ledger.articles import BUYOUTS, RETURNS, REVENUE
from stpulse.domain.ledger.rollup import Rollup
from stpulse.domain.planning.forecast import (
    HISTORY_DAYS,
    forecast_total,
    month_days,
    split_month,
    weekday_profile,
)
from stpulse.domain.reports.cube import ReportInputs
from stpulse.domain.reports.pnl import build_pnl
from stpulse.domain.reports.table import Column, Highlight, Kind, Row, Table


class PlanTarget(msgspec.Struct, frozen=True, kw_only=True):
    """One month's targets for a shop (`sku` 0) or one of its SKUs; None: no target for that metric."""

    shop_id: int  # the report's shop key
    month: int  # months since 1970-01
    sku: int = 0  # Ozon SKU, 0 = the whole shop
    offer_id: str = ""
    revenue: int | None = None  # kopecks
    units: int | None = None
    profit: int | None = None  # kopecks
    ad_budget: int | None = None  # kopecks
    drr: int | None = None  # basis points (10 % = 1000)


class Metric(msgspec.Struct, frozen=True, kw_only=True):
    code: str
    label: str
    kind: Kind
    lower_is_better: bool = False


METRICS: tuple[Metric, ...] = (
    Metric(code="revenue", label="Выручка", kind=Kind.MONEY),
    Metric(code="units", label="Продажи, шт", kind=Kind.COUNT),
    Metric(code="profit", label="Прибыль", kind=Kind.MONEY),
    Metric(code="ad_budget", label="Реклама", kind=Kind.MONEY, lower_is_better=True),
    Metric(code="drr", label="ДРР", kind=Kind.PERCENT, lower_is_better=True),
)
COLUMNS: tuple[Column, ...] = (
    Column(code="plan", label="План"),
    Column(code="fact", label="Факт"),
    Column(code="done_pct", label="Выполнено, %", kind=Kind.PERCENT),
    Column(code="forecast", label="Прогноз на конец месяца"),
    Column(code="forecast_pct", label="Прогноз, % плана", kind=Kind.PERCENT),
)
FORMULA = ("Прогноз = факт с начала месяца + факт ÷ Σ весов прошедших дней × Σ весов оставшихся дней; вес дня "
           "недели — его средняя выручка (или штуки) за 8 недель до месяца относительно среднего дня. Прибыль и "
           "реклама прогнозируются в той же пропорции, что и выручка.")


class _Sales(msgspec.Struct, frozen=True, kw_only=True):
    day: np.ndarray
    sku: np.ndarray  # Ozon SKU
    revenue: np.ndarray  # net kopecks
    units: np.ndarray  # net units

    def where(self, first: int, last: int, sku: int | None = None) -> np.ndarray:
        keep = (self.day >= first) & (self.day <= last)
        return keep if sku is None else keep & (self.sku == sku)


def sales_of(r: Rollup | None) -> _Sales:
    """Net revenue and net units per (day, Ozon SKU) of a rollup's sales rows."""
    if r is None:
        empty = np.zeros(0, np.int64)
        return _Sales(day=empty, sku=empty, revenue=empty, units=empty)
    sales = np.isin(r.article, (REVENUE, RETURNS, BUYOUTS)) & (r.sku >= 0)
    sku = r.skus[r.sku[sales]] if len(r.skus) else np.zeros(int(sales.sum()), np.int64)
    units = np.where(r.article[sales] == RETURNS, -r.quantity[sales], r.quantity[sales])
    return _Sales(day=r.day[sales].astype(np.int64), sku=sku.astype(np.int64),
                  revenue=r.amount[sales].astype(np.int64), units=units.astype(np.int64))


def _pct(num: int | None, den: int | None) -> int | None:
    if num is None or not den:
        return None
    return int(np.floor(num * 10_000 / den + 0.5))


def build_plan(inputs: ReportInputs) -> Table:
    """Targets, fact and forecast per month of the period. `inputs.daily` holds the sales rows by day of the
    as-of month and the HISTORY_DAYS before it (`forecast_days`); `inputs.as_of` is the last day with data
    (Moscow), None: every month is closed."""
    period, as_of = inputs.period, inputs.as_of
    pnl = build_pnl(inputs)  # the cube keeps the period's days only
    monthly, daily = sales_of(inputs.rollup), sales_of(inputs.daily)
    targets = [t for t in inputs.plan_targets if period.first_month <= t.month <= period.last_month]
    rows: list[Row] = []
    for j, month in enumerate(period.months):
        first, last = month_days(month_first_day(month))
        ads = -(pnl.row("ozon:promotion").values[j] or 0) - (pnl.row("external_ads").values[j] or 0)
        revenue = pnl.row("net_revenue").values[j] or 0
        fact: dict[str, int | None] = {
            "revenue": revenue, "profit": pnl.row("net_profit").values[j], "ad_budget": ads,
            "units": int(monthly.units[monthly.where(first, last)].sum()), "drr": _pct(ads, revenue)}
        days = (first, last, last if as_of is None else as_of)
        rows.append(Row(code=f"{month}:title", label=month_label(month), kind=Kind.MONEY,
                        values=(None,) * len(COLUMNS), emphasis=True))
        rows += _metric_rows(f"{month}:shop", "", _sum_targets([t for t in targets if t.month == month and not t.sku]),
                             fact, daily, None, days, level=0)
        for t in sorted((t for t in targets if t.month == month and t.sku), key=lambda t: (t.offer_id, t.sku)):
            mine = monthly.where(first, last, t.sku)
            sku_fact: dict[str, int | None] = {"revenue": int(monthly.revenue[mine].sum()),
                                               "units": int(monthly.units[mine].sum()),
                                               "profit": None, "ad_budget": None, "drr": None}
            rows += _metric_rows(f"{month}:{t.shop_id}:{t.sku}", f"{t.offer_id} · ", _sum_targets([t]),
                                 sku_fact, daily, t.sku, days, level=1)
    warnings = () if targets else ("План на этот период не задан — задайте цели на странице «План: цели».",)
    return Table(code="plan", title="План", period=period_label(period.first_month, period.last_month),
                 first_header="Показатель", columns=COLUMNS, rows=tuple(rows), total_label=None, warnings=warnings)


def _sum_targets(targets: list[PlanTarget]) -> dict[str, int | None]:
    out: dict[str, int | None] = {}
    for m in METRICS:
        values = [getattr(t, m.code) for t in targets if getattr(t, m.code) is not None]
        out[m.code] = (sum(values) if m.code != "drr" else _mean_drr(targets)) if values else None
    return out


def _mean_drr(targets: list[PlanTarget]) -> int | None:
    """A ДРР target of several shops: weighted by their revenue targets (plain mean without them)."""
    pairs = [(t.drr, t.revenue or 0) for t in targets if t.drr is not None]
    weight = sum(w for _, w in pairs)
    if weight:
        return int(np.floor(sum(d * w for d, w in pairs) / weight + 0.5))
    return int(np.floor(sum(d for d, _ in pairs) / len(pairs) + 0.5)) if pairs else None


def forecasts(fact: dict[str, int | None], daily: _Sales, sku: int | None,
              days: tuple[int, int, int]) -> dict[str, int | None]:
    """The month-end forecast of each metric as seen on day `days[2]` (see `forecast.py`)."""
    first, last, now = days
    if now < first:
        return dict.fromkeys(fact)  # a future month
    if now >= last:
        return dict(fact)  # a closed month: its fact
    elapsed, left = split_month(first, last, now)
    history = daily.where(first - HISTORY_DAYS, first - 1, sku)
    so_far = daily.where(first, now, sku)
    out: dict[str, int | None] = {}
    for name in ("revenue", "units"):
        series = getattr(daily, name)
        out[name] = forecast_total(int(series[so_far].sum()), elapsed, left,
                                   weekday_profile(daily.day[history], series[history]))
    done = int(daily.revenue[so_far].sum())
    for name in ("profit", "ad_budget"):
        value = fact[name]
        out[name] = None if value is None else (value if not done or out["revenue"] is None
                                                else int(np.floor(value * out["revenue"] / done + 0.5)))
    out["drr"] = _pct(out["ad_budget"], out["revenue"])
    return out


def _metric_rows(code: str, prefix: str, plan: dict[str, int | None], fact: dict[str, int | None], daily: _Sales,
                 sku: int | None, days: tuple[int, int, int], level: int) -> list[Row]:
    ahead_of = forecasts(fact, daily, sku, days)
    rows = []
    for m in METRICS:
        target, value, ahead = plan[m.code], fact[m.code], ahead_of[m.code]
        if target is None and (level or value is None):
            continue  # a SKU shows only the metrics it has targets for
        done_pct = _pct(value, target) if m.kind is not Kind.PERCENT else None
        forecast_pct = _pct(ahead, target) if m.kind is not Kind.PERCENT else None
        mark = _mark(m, target, ahead)
        rows.append(Row(code=f"{code}:{m.code}", label=f"{prefix}{m.label}", kind=m.kind, level=level,
                        values=(target, value, done_pct, ahead, forecast_pct),
                        marks=(None, None, mark, mark, mark) if mark else ()))
    return rows


def _mark(metric: Metric, target: int | None, forecast: int | None) -> Highlight | None:
    """Red when the forecast misses the target, green when it meets it (spending: when it stays within)."""
    if target is None or forecast is None:
        return None
    ahead = forecast <= target if metric.lower_is_better else forecast >= target
    return Highlight.GOOD if ahead else Highlight.LOSS


def forecast_days(period: Period, as_of: int | None) -> tuple[int, int] | None:
    """The days of sales by day the plan reads: the weeks before the as-of month and that month up to the
    as-of day; None when the as-of day is in no month of the period (or every month is closed)."""
    if as_of is None or not (day_number(period.first_day) <= as_of < day_number(period.last_day)):
        return None
    month_first = day_number(day_date(as_of).replace(day=1))
    return month_first - HISTORY_DAYS, as_of
