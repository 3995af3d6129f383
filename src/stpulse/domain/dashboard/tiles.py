"""Tiles and chart series read off finished report tables (ОПиУ, Юнитка): every figure is a cell of the table the
tile links to, so a tile always equals its report. The only arithmetic of its own is the month's forecast (a
straight line through the month to date) and the changes between two tiles.

A new report that feeds the dashboard (stock value, payouts, ads) adds a `Figure` from its table the same way."""

from __future__ import annotations

import calendar
import datetime as dt

import msgspec

from stpulse.domain.kernel.allocation import percent_bp
from stpulse.domain.reports.table import Kind, Table

# (code, label, unit kind, the report and row/column it is read from)
PNL_ROWS = {"revenue": "revenue", "profit": "net_profit", "margin": "profitability"}
UNIT_COLUMNS = {"units": "sold_units", "buyout": "buyout_pct", "drr": "drr_pct"}
LABELS = {"revenue": "Выручка", "orders": "Заказы, ₽", "units": "Продано, шт.", "profit": "Чистая прибыль", "margin": "Рентабельность",
          "buyout": "Выкуп", "drr": "ДРР", "lines": "Строк начислений",
          "profit_est": "Прибыль по заказам (оценка)"}
KINDS = {"revenue": Kind.MONEY, "orders": Kind.MONEY, "profit": Kind.MONEY, "margin": Kind.PERCENT, "units": Kind.COUNT,
         "buyout": Kind.PERCENT, "drr": Kind.PERCENT, "lines": Kind.COUNT, "profit_est": Kind.MONEY}
# Two clocks (ОПиУ's section «по заказам»): a month tile says which profit is which
CLOCK_LABELS = {"profit": "Прибыль по начислениям (подтверждено)"}
CLOCKS_NOTE = ("По начислениям — ОПиУ по дате начисления Ozon; по заказам — оценка по дате заказа, её сменяет "
               "подтверждённая по мере поступления начислений")
BETTER_DOWN = {"drr"}  # a smaller ДРР is good news


class Figure(msgspec.Struct, frozen=True, kw_only=True):
    code: str
    label: str
    kind: Kind
    value: int | None
    change_bp: int | None = None  # vs the same span before: percent change (money, counts) or points (percents)
    good: bool | None = None  # the change is good news (green) or bad (red)


class Tile(msgspec.Struct, frozen=True, kw_only=True):
    code: str  # today | yesterday | month | forecast | last_month
    title: str
    period: str  # «30.09.2026», «сентябрь 2026»
    url: str  # the report behind the tile, with its period
    figures: tuple[Figure, ...]
    profit_note: str = ""  # «оценка»: estimated (no payout confirmed yet) or how the forecast is made
    compared_with: str = ""  # what the changes compare against
    actual: tuple[Figure, ...] = ()  # the forecast of a closed month: the month's actual figures beside it


def _cell(table: Table | None, row: str, column: int | None = None) -> int | None:
    if table is None:
        return None
    try:
        r = table.row(row)
    except KeyError:
        return None
    return r.total if column is None else r.values[column] if column < len(r.values) else None


def _unit_total(table: Table | None, column: str) -> int | None:
    if table is None:
        return None
    index = next((i for i, c in enumerate(table.columns) if c.code == column), None)
    return _cell(table, "total", index) if index is not None else None


def month_figures(pnl: Table | None, unit: Table | None) -> dict[str, int | None]:
    """The tile's figures from the period's ОПиУ (totals) and Юнитка («Итого» row)."""
    out = {code: _cell(pnl, row) for code, row in PNL_ROWS.items()}
    out |= {code: _unit_total(unit, column) for code, column in UNIT_COLUMNS.items()}
    return out


def with_orders(values: dict[str, int | None], orders: int | None) -> dict[str, int | None]:
    """The figures with «Заказы, ₽» (Операционка's orders of the same span, by posting creation date) after revenue."""
    out: dict[str, int | None] = {}
    for code, value in values.items():
        out[code] = value
        if code == "revenue":
            out["orders"] = orders
    return out


def with_clock(values: dict[str, int | None], pnl: Table | None) -> dict[str, int | None]:
    """The month's figures with the estimated profit by order date (ОПиУ's «clock:profit_estimated») right after
    the confirmed one."""
    out: dict[str, int | None] = {}
    for code, value in values.items():
        out[code] = value
        if code == "profit":
            out["profit_est"] = _cell(pnl, "clock:profit_estimated")
    return out


def _change(code: str, now: int | None, before: int | None) -> tuple[int | None, bool | None]:
    if now is None or before is None:
        return None, None
    diff: int | None = now - before  # points
    if KINDS[code] is not Kind.PERCENT:
        diff = percent_bp(now - before, abs(before)) if before else None
    if diff is None:
        return None, None
    good = None if diff == 0 else (diff < 0) if code in BETTER_DOWN else (diff > 0)
    return diff, good


def figures(values: dict[str, int | None], before: dict[str, int | None] | None = None,
            labels: dict[str, str] | None = None) -> tuple[Figure, ...]:
    out = []
    for code, value in values.items():
        change, good = _change(code, value, before.get(code)) if before is not None else (None, None)
        label = (labels or {}).get(code, LABELS[code])
        out.append(Figure(code=code, label=label, kind=KINDS[code], value=value, change_bp=change, good=good))
    return tuple(out)


def forecast(to_date: dict[str, int | None], day: dt.date) -> dict[str, int | None]:
    """The month's figures if the rest of it goes like the days so far: money and counts × days in the month /
    days elapsed (half-up), percents as they are."""
    days = calendar.monthrange(day.year, day.month)[1]
    out: dict[str, int | None] = {}
    for code, value in to_date.items():
        if value is None or KINDS[code] is Kind.PERCENT:
            out[code] = value
        else:
            out[code] = (2 * value * days + day.day) // (2 * day.day)
    return out
