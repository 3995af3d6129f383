"""Registry entries of «Товарные остатки» and «Планирование поставок» (registered in registry.py)."""

from __future__ import annotations

import numpy as np

from stpulse.domain.kernel.period import day_date, day_number
from stpulse.domain.planning.history import StockHistory, empty_history
from stpulse.domain.planning.supply import WINDOWS, SupplyParams
from stpulse.domain.reports import stock as stock_report
from stpulse.domain.reports import supply_plan
from stpulse.domain.reports.cube import ReportInputs
from stpulse.domain.reports.kinds import Grouping, Input, Metric, Option, ReportKind, Selection
from stpulse.domain.reports.table import Table

LEAD_CHOICES = (3, 5, 7, 10, 14, 21, 30, 45, 60)
COVER_CHOICES = (7, 14, 21, 30, 45, 60, 90)


def _history(inputs: ReportInputs) -> StockHistory:
    return inputs.stock_history if inputs.stock_history is not None else empty_history(day_number(inputs.period.last_day))


def _names(inputs: ReportInputs) -> dict[tuple[int, int], str]:
    return {(p.shop_id, p.sku): p.offer_id for p in inputs.products}


def _int(selection: Selection, code: str, default: int, allowed: tuple[int, ...]) -> int:
    text = selection.option(code, str(default))
    return int(text) if text.isdigit() and int(text) in allowed else default


def _unit_costs(inputs: ReportInputs, history: StockHistory) -> dict[tuple[int, int], int]:
    if inputs.costs is None or not inputs.products:
        return {}
    products = list(inputs.products)
    idx = inputs.costs.offer_index([p.offer_id for p in products])
    cost, known = inputs.costs.lookup(idx, np.full(len(products), history.last_day))
    return {(p.shop_id, p.sku): int(c) for p, c, k in zip(products, cost.tolist(), known.tolist(), strict=True) if k}


def build_stock_kind(inputs: ReportInputs, selection: Selection) -> Table:
    history = _history(inputs)
    lead = _int(selection, "lead", stock_report.LEAD_DAYS, LEAD_CHOICES)
    return stock_report.build_stock(history, _names(inputs), _unit_costs(inputs, history),
                                    f"на {day_date(history.last_day):%d.%m.%Y}", lead_days=lead)


def build_supply_kind(inputs: ReportInputs, selection: Selection) -> Table:
    history = _history(inputs)
    defaults = SupplyParams(lead_days=_int(selection, "lead", 14, LEAD_CHOICES),
                            cover_days=_int(selection, "cover", 30, COVER_CHOICES))
    window = _int(selection, "window", 30, WINDOWS)
    return supply_plan.build_supply_plan(history, _names(inputs), inputs.supply_params, defaults, window,
                                         f"на {day_date(history.last_day):%d.%m.%Y}, продажи за {window} дн",
                                         transit=inputs.supply_transit)


def _choices(values: tuple[int, ...]) -> tuple[tuple[str, str], ...]:
    return tuple((str(v), f"{v} дн") for v in values)


LEAD_OPTION = Option(code="lead", label="Срок поставки", choices=_choices(LEAD_CHOICES), default="14")

STOCK_KIND = ReportKind(
    code="stock", title="Товарные остатки", build=build_stock_kind,
    inputs=frozenset({Input.CATALOG, Input.COSTS, Input.STOCK_HISTORY}),
    columns=stock_report.COLUMNS, metrics=tuple(Metric(code=c.code, label=c.label) for c in stock_report.COLUMNS),
    groupings=(Grouping(code="sku", label="По товарам и складам"),), options=(LEAD_OPTION,),
)

SUPPLY_KIND = ReportKind(
    code="supply", title="Планирование поставок", build=build_supply_kind,
    inputs=frozenset({Input.CATALOG, Input.SUPPLY}),
    columns=supply_plan.COLUMNS, metrics=tuple(Metric(code=c.code, label=c.label) for c in supply_plan.COLUMNS),
    groupings=(Grouping(code="cluster", label="По кластерам"),),
    options=(Option(code="window", label="Продажи за", choices=_choices(WINDOWS), default="30"), LEAD_OPTION,
             Option(code="cover", label="Запас на", choices=_choices(COVER_CHOICES), default="30")),
)
