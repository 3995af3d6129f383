"""«Планирование поставок»: per SKU and FBO cluster, the recommended quantity with its formula filled in.

The stock history's warehouses are summed per cluster (the seller's own FBS warehouse is left out: a supply goes
to Ozon). Speed: average daily sales on in-stock days over the chosen window (7 / 14 / 30 / 60); season: the
SKU's sales in the same weeks last year (domain.planning.velocity.seasonal_factor, 1 without a year of history);
the rest is domain.planning.supply.recommend with the SKU's parameters (imported per SKU or model) over the
defaults chosen on the page. Rows are grouped by cluster, each cluster with a subtotal of units to send.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from stpulse.domain.planning.history import FBS, StockHistory
from stpulse.domain.planning.supply import Recommendation, SupplyParams, recommend
from stpulse.domain.planning.velocity import in_stock_average, in_stock_days, seasonal_factor
from stpulse.domain.reports.table import Column, Highlight, Kind, Row, Table

COLUMNS = (
    Column(code="speed", label="Продаж в день", kind=Kind.RATE),
    Column(code="season", label="Сезонность, %", kind=Kind.PERCENT),
    Column(code="stock", label="На складе", kind=Kind.COUNT),
    Column(code="transit", label="В пути", kind=Kind.COUNT),
    Column(code="lead", label="Срок поставки", kind=Kind.DAYS),
    Column(code="cover", label="Запас на", kind=Kind.DAYS),
    Column(code="safety", label="Страховой запас", kind=Kind.DAYS),
    Column(code="box", label="Кратность", kind=Kind.COUNT),
    Column(code="min_order", label="Минимум", kind=Kind.COUNT),
    Column(code="need", label="Потребность", kind=Kind.COUNT),
    Column(code="quantity", label="Отгрузить", kind=Kind.COUNT),
)


class PlanLine:
    __slots__ = ("cluster", "rec", "shop", "sku", "stock", "transit")

    def __init__(self, shop: int, sku: int, cluster: str, stock: int, transit: int, rec: Recommendation) -> None:
        self.shop, self.sku, self.cluster, self.stock, self.transit, self.rec = shop, sku, cluster, stock, transit, rec


def plan_lines(history: StockHistory, params: Mapping[tuple[int, int], SupplyParams], defaults: SupplyParams,
               window: int, transit_of: Mapping[tuple[int, int, str], int] | None = None) -> list[PlanLine]:
    """One line per (shop, SKU, FBO cluster) of the history, sorted by cluster then SKU. In transit: the units of
    the supply orders on their way to the cluster (`transit_of`), else the snapshot's own «в пути»."""
    fbo = [i for i in range(history.rows) if history.cluster[i] != FBS]
    keys = sorted({(history.cluster[i], int(history.shop[i]), int(history.sku[i])) for i in fbo})
    index = {k: j for j, k in enumerate(keys)}
    days = history.available.shape[1]
    available = np.zeros((len(keys), days), np.int64)
    sold = np.zeros((len(keys), days), np.int64)
    transit = np.zeros(len(keys), np.int64)
    rows = np.array([index[(history.cluster[i], int(history.shop[i]), int(history.sku[i]))] for i in fbo], np.intp)
    if len(rows):
        np.add.at(available, rows, history.available[fbo])
        np.add.at(sold, rows, history.sold[fbo])
        np.add.at(transit, rows, history.transit[fbo])
    speed = in_stock_average(sold, in_stock_days(available, sold), window) if keys else np.zeros(0)
    season_of: dict[tuple[int, int], float] = {}
    lines = []
    for j, (cluster, shop, sku) in enumerate(keys):
        p = params.get((shop, sku), defaults)
        if (shop, sku) not in season_of:
            season_of[(shop, sku)] = _season(history, sku, window, p.lead_days + p.cover_days)
        moving = int(transit[j]) if transit_of is None else transit_of.get((shop, sku, cluster), 0)
        rec = recommend(float(speed[j]), season_of[(shop, sku)], int(available[j, -1]), moving, p)
        lines.append(PlanLine(shop, sku, cluster, int(available[j, -1]), moving, rec))
    return lines


def _season(history: StockHistory, sku: int, window: int, horizon: int) -> float:
    if not history.daily_skus.size:
        return 1.0
    pos = int(np.searchsorted(history.daily_skus, sku))
    if pos >= history.daily_skus.size or history.daily_skus[pos] != sku:
        return 1.0
    return float(seasonal_factor(history.daily_sku[pos:pos + 1], history.history_days, window, horizon)[0])


def build_supply_plan(history: StockHistory, names: Mapping[tuple[int, int], str],
                      params: Mapping[tuple[int, int], SupplyParams], defaults: SupplyParams, window: int,
                      period: str, transit: Mapping[tuple[int, int, str], int] | None = None) -> Table:
    lines = plan_lines(history, params, defaults, window, transit)
    rows: list[Row] = []
    total = 0
    cluster = None
    subtotal = 0

    def close() -> None:
        if cluster is not None:
            rows.append(Row(code=f"cluster:{cluster}", label=f"{cluster}: итого", kind=Kind.COUNT, emphasis=True,
                            values=(None,) * (len(COLUMNS) - 1) + (subtotal,)))

    for line in lines:
        if line.cluster != cluster:
            close()
            cluster, subtotal = line.cluster, 0
        p = params.get((line.shop, line.sku), defaults)
        r = line.rec
        subtotal += r.quantity
        total += r.quantity
        rows.append(Row(
            code=f"{line.shop}:{line.sku}:{line.cluster}", label=f"{names.get((line.shop, line.sku), str(line.sku))}",
            kind=Kind.COUNT, level=1, note=f"{line.cluster}: {r.formula}",
            highlight=Highlight.WARNING if r.quantity > 0 and line.stock == 0 else None,
            values=(int(round(r.velocity * 100)), int(round(r.season * 10_000)), line.stock, line.transit,
                    p.lead_days, p.cover_days, p.safety_days, p.box, p.min_order, r.need, r.quantity)))
    close()
    rows.append(Row(code="total", label="Итого", kind=Kind.COUNT, emphasis=True,
                    values=(None,) * (len(COLUMNS) - 1) + (total,)))
    return Table(code="supply", title="Планирование поставок", period=period, first_header="Товар",
                 columns=COLUMNS, rows=tuple(rows), total_label=None)
