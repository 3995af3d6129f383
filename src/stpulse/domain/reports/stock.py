"""«Товарные остатки»: per SKU and warehouse, stock now, sales speed on in-stock days, days of stock, run-out date.

Rows: offer_id — warehouse (the FBO cluster in the note); the seller's own FBS warehouse is a row of its own and its
units are in the «FBS» column. Values: available, reserved, in transit, FBS stock (units), value at cost (₽, at the
cost in force on the day), average daily sales over 7 / 14 / 30 days counted on in-stock days only (hundredths),
days of stock (available ÷ the 30-day speed), turnover in days (average stock of the 30 days ÷ the 30-day speed)
and the run-out date (as days from the report's day). Red: nothing left; amber: it runs out before a supply
created today could arrive (the lead time).
"""

from __future__ import annotations

import math

import numpy as np

from stpulse.domain.kernel.period import day_date
from stpulse.domain.planning.history import FBS, StockHistory
from stpulse.domain.planning.velocity import in_stock_average
from stpulse.domain.reports.table import Column, Highlight, Kind, Row, Table

LEAD_DAYS = 14  # a new supply reaches an Ozon warehouse in about two weeks

COLUMNS = (
    Column(code="available", label="Доступно", kind=Kind.COUNT),
    Column(code="reserved", label="Резерв", kind=Kind.COUNT),
    Column(code="transit", label="В пути", kind=Kind.COUNT),
    Column(code="fbs", label="FBS", kind=Kind.COUNT),
    Column(code="value", label="Стоимость по себестоимости", kind=Kind.MONEY),
    Column(code="ads7", label="Продаж в день, 7 дн", kind=Kind.RATE),
    Column(code="ads14", label="Продаж в день, 14 дн", kind=Kind.RATE),
    Column(code="ads30", label="Продаж в день, 30 дн", kind=Kind.RATE),
    Column(code="days_left", label="Дней запаса", kind=Kind.DAYS),
    Column(code="turnover", label="Оборачиваемость", kind=Kind.DAYS),
    Column(code="runs_out", label="Закончится через", kind=Kind.DAYS),
)


def _hundredths(x: float) -> int | None:
    return None if math.isnan(x) else int(round(x * 100))


def _days(x: float) -> int | None:
    return None if math.isnan(x) or math.isinf(x) else int(math.floor(x))


def build_stock(history: StockHistory, names: dict[tuple[int, int], str], unit_cost: dict[tuple[int, int], int],
                period: str, lead_days: int = LEAD_DAYS) -> Table:
    """`names`/`unit_cost`: (shop, sku) → «offer_id — name» and the cost of one unit (kopecks) on the report's day."""
    n = history.rows
    in_stock = history.in_stock()
    ads = {w: in_stock_average(history.sold, in_stock, w) if n else np.zeros(0) for w in (7, 14, 30)}
    window = history.available[:, -30:]
    avg_stock = window.mean(axis=1) if n else np.zeros(0)
    now = history.available[:, -1] if n else np.zeros(0, np.int64)
    order = sorted(range(n), key=lambda i: (names.get((int(history.shop[i]), int(history.sku[i])), ""),
                                              history.cluster[i], history.warehouse[i]))
    rows: list[Row] = []
    totals = np.zeros(5, np.int64)
    for i in order:
        key = (int(history.shop[i]), int(history.sku[i]))
        fbs = history.cluster[i] == FBS
        available = int(now[i])
        speed = float(ads[30][i])
        days_left = available / speed if speed > 0 else math.inf
        turnover = float(avg_stock[i]) / speed if speed > 0 else math.inf
        value = available * unit_cost.get(key, 0)
        figures = (0 if fbs else available, int(history.reserved[i]), int(history.transit[i]),
                   available if fbs else 0, value)
        totals += figures
        highlight = None
        if available <= 0:
            highlight = Highlight.LOSS
        elif days_left < lead_days:
            highlight = Highlight.WARNING
        runs_out = _days(days_left)
        note = f"{history.cluster[i]} · {history.warehouse[i]}"
        if runs_out is not None and available > 0:
            note += f" · закончится {day_date(history.last_day + runs_out):%d.%m.%Y}"
        rows.append(Row(code=f"{key[0]}:{key[1]}:{history.warehouse[i]}",
                        label=f"{names.get(key, str(key[1]))} — {history.warehouse[i]}",
                        kind=Kind.COUNT, values=(*figures, _hundredths(float(ads[7][i])),
                                                 _hundredths(float(ads[14][i])), _hundredths(speed),
                                                 _days(days_left), _days(turnover), runs_out),
                        note=note, highlight=highlight))
    rows.append(Row(code="total", label="Итого", kind=Kind.COUNT, emphasis=True,
                    values=(*(int(t) for t in totals), None, None, None, None, None, None)))
    warnings: tuple[str, ...] = ()
    if history.snapshot_days < 30:
        warnings = (f"История остатков есть за {history.snapshot_days} из 30 дней: средние продажи посчитаны по "
                    "дням с остатком из этих дней.",)
    return Table(code="stock", title="Товарные остатки", period=period, first_header="Товар — склад",
                 columns=COLUMNS, rows=tuple(rows), total_label=None, warnings=warnings)
