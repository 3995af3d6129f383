"""The report registry: code → entry. Adding a report is one pure module plus one `register(...)` here.

Pages (`/app/reports/{code}`), the JSON API (`/api/v1/reports/{code}`), the CLI (`stpulse report {code}`), the
xlsx export, the shop selector, the period picker and the benchmark all read this mapping; nothing else
dispatches on a report's code.
"""

from __future__ import annotations

from stpulse.domain.kernel.errors import NotFound
from stpulse.domain.reports.ads import COLUMNS as ADS_COLUMNS
from stpulse.domain.reports.ads import build_ads
from stpulse.domain.reports.cube import AllocationRule, ReportInputs
from stpulse.domain.reports.kinds import (
    ALL_INPUTS,
    Grouping,
    HighlightRule,
    Input,
    Metric,
    Option,
    ReportKind,
    RollupGrain,
    Selection,
)
from stpulse.domain.reports.pnl import build_pnl, pnl_drill
from stpulse.domain.reports.table import Highlight, Table
from stpulse.domain.reports.unit_economics import build_unit_economics
from stpulse.domain.reports.unit_metrics import COLUMNS as UNIT_COLUMNS

REPORTS: dict[str, ReportKind] = {}


def register(kind: ReportKind) -> ReportKind:
    REPORTS[kind.code] = kind
    return kind


def unregister(code: str) -> None:
    REPORTS.pop(code, None)


def report_kind(code: str) -> ReportKind:
    kind = REPORTS.get(code)
    if kind is None:
        raise NotFound("Такого отчёта нет")
    return kind


def _pnl(inputs: ReportInputs, selection: Selection) -> Table:
    return build_pnl(inputs)


def _unit(inputs: ReportInputs, selection: Selection) -> Table:
    return build_unit_economics(inputs, selection.allocation)


PNL = register(ReportKind(
    code="pnl", title="ОПиУ", build=_pnl, inputs=ALL_INPUTS, grain=RollupGrain.BY_MONTH,
    highlights=(HighlightRule(mark=Highlight.LOSS, rows=frozenset(
        {"gross_profit", "gross_margin", "ebitda", "net_profit", "profitability", "roi"})),),
    groupings=(Grouping(code="month", label="По месяцам"),), drill=pnl_drill,
))

UNIT = register(ReportKind(
    code="unit", title="Юнитка", build=_unit, inputs=ALL_INPUTS, grain=RollupGrain.BY_SKU,
    columns=UNIT_COLUMNS, metrics=tuple(Metric(code=c.code, label=c.label) for c in UNIT_COLUMNS),
    highlights=(HighlightRule(mark=Highlight.LOSS, columns=frozenset(
        {"profit", "profit_per_unit", "margin_pct", "roi_pct"})),),
    groupings=(Grouping(code="sku", label="По товарам"),),
    options=(Option(code="alloc", label="Расходы магазина", default=AllocationRule.REVENUE.value, choices=(
        (AllocationRule.REVENUE.value, "по выручке"), (AllocationRule.UNITS.value, "по штукам"),
        (AllocationRule.NONE.value, "не распределять"))),),
))


def _ads(inputs: ReportInputs, selection: Selection) -> Table:
    return build_ads(inputs)


ADS = register(ReportKind(
    code="ads", title="Реклама", build=_ads, inputs=ALL_INPUTS | {Input.ADS}, grain=RollupGrain.BY_SKU,
    columns=ADS_COLUMNS, metrics=tuple(Metric(code=c.code, label=c.label) for c in ADS_COLUMNS),
    highlights=(HighlightRule(mark=Highlight.LOSS, columns=frozenset({"ads_profit"})),),
    groupings=(Grouping(code="campaign_sku", label="По кампаниям и товарам"),),
))
