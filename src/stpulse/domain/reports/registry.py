"""The report registry: code → entry. Adding a report is one pure module plus one `register(...)` here.

Pages (`/app/reports/{code}`), the JSON API (`/api/v1/reports/{code}`), the CLI (`stpulse report {code}`), the
xlsx export, the shop selector, the period picker and the benchmark all read this mapping; nothing else
dispatches on a report's code.
"""

from __future__ import annotations

from stpulse.domain.billing.tariffs import FEATURE_ADS_REPORT, FEATURE_PLAN
from stpulse.domain.kernel.errors import NotFound
from stpulse.domain.planning.plan import COLUMNS as PLAN_COLUMNS
from stpulse.domain.planning.plan import FORMULA as PLAN_FORMULA
from stpulse.domain.planning.plan import build_plan
from stpulse.domain.reports import stock_kinds
from stpulse.domain.reports.ads import COLUMNS as ADS_COLUMNS
from stpulse.domain.reports.ads import build_ads
from stpulse.domain.reports.buyouts import COLUMNS as BUYOUT_COLUMNS
from stpulse.domain.reports.buyouts import build_buyouts
from stpulse.domain.reports.cash_flow import build_cash_flow
from stpulse.domain.reports.clocks import CLOCKS_FOOTNOTE
from stpulse.domain.reports.clocks import PROFIT_ROWS as CLOCK_PROFIT_ROWS
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
from stpulse.domain.reports.operations import COLUMNS as OPS_COLUMNS
from stpulse.domain.reports.operations import RATIOS as OPS_RATIOS
from stpulse.domain.reports.operations import VIEWS as OPS_VIEWS
from stpulse.domain.reports.operations import build_operations
from stpulse.domain.reports.pnl import build_pnl, pnl_drill
from stpulse.domain.reports.recon import build_recon, recon_drill
from stpulse.domain.reports.returns_report import COLUMNS as RETURNS_COLUMNS
from stpulse.domain.reports.returns_report import RATIOS as RETURNS_RATIOS
from stpulse.domain.reports.returns_report import VIEWS as RETURNS_VIEWS
from stpulse.domain.reports.returns_report import build_returns
from stpulse.domain.reports.table import Column, Highlight, Table
from stpulse.domain.reports.unit_economics import build_unit_economics
from stpulse.domain.reports.unit_metrics import COLUMNS as UNIT_COLUMNS
from stpulse.domain.reports.unit_metrics import RATIOS as UNIT_RATIOS

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
    code="pnl", title="ОПиУ", build=_pnl, inputs=ALL_INPUTS | {Input.ESTIMATE}, grain=RollupGrain.BY_MONTH,
    highlights=(HighlightRule(mark=Highlight.LOSS, rows=frozenset(
        {"gross_profit", "gross_margin", "ebitda", "net_profit", "profitability", "roi", *CLOCK_PROFIT_ROWS})),),
    groupings=(Grouping(code="month", label="По месяцам"),), drill=pnl_drill, footnote=CLOCKS_FOOTNOTE,
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
    sku_rows=True, ratios=UNIT_RATIOS,
))


def _metrics(columns: tuple[Column, ...], hidden: frozenset[str] = frozenset()) -> tuple[Metric, ...]:
    return tuple(Metric(code=c.code, label=c.label, default=c.code not in hidden) for c in columns)


OPS = register(ReportKind(
    code="ops", title="Операционка", build=build_operations, grain=RollupGrain.BY_MONTH,
    inputs=frozenset({Input.CATALOG, Input.ORDERS, Input.SALES, Input.STOCK}),
    columns=OPS_COLUMNS, metrics=_metrics(OPS_COLUMNS, frozenset({"cancelled", "returned"})),
    highlights=(HighlightRule(mark=Highlight.WARNING, columns=frozenset({"buyout_pct"}), below=7000,
                              code="low_buyout", label="Выкуп ниже, %"),),
    groupings=(Grouping(code="sku", label="По товарам"),),
    options=(Option(code="view", label="Разрез", default="sku", choices=OPS_VIEWS),),
    sku_rows=True, ratios=OPS_RATIOS, cell_drill=frozenset({"ordered_units", "cancelled_units"}),
))

RETURNS_REPORT = register(ReportKind(
    code="returns", title="Возвраты", build=build_returns, grain=RollupGrain.BY_MONTH,
    inputs=frozenset({Input.CATALOG, Input.RETURNS}),
    columns=RETURNS_COLUMNS, metrics=_metrics(RETURNS_COLUMNS),
    highlights=(HighlightRule(mark=Highlight.WARNING, columns=frozenset({"return_share"}), below=1000, above=True,
                              code="high_return_share", label="Доля возвратов выше, %"),
                HighlightRule(mark=Highlight.WARNING, columns=frozenset({"share_rise"}), below=300, above=True,
                              code="rising_return_share", label="Рост доли возвратов за последний месяц больше, п.п.")),
    groupings=(Grouping(code="sku", label="По товарам"),),
    options=(Option(code="view", label="Разрез", default="sku", choices=RETURNS_VIEWS),),
    sku_rows=True, ratios=RETURNS_RATIOS,
))


def _plan(inputs: ReportInputs, selection: Selection) -> Table:
    return build_plan(inputs)


PLAN = register(ReportKind(
    code="plan", title="План", build=_plan, inputs=frozenset({*ALL_INPUTS, Input.PLAN}), grain=RollupGrain.BY_MONTH,
    columns=PLAN_COLUMNS, groupings=(Grouping(code="month", label="По месяцам"),), feature=FEATURE_PLAN,
    footnote=PLAN_FORMULA,
))


def _buyouts(inputs: ReportInputs, selection: Selection) -> Table:
    return build_buyouts(inputs)


BUYOUT_REPORT = register(ReportKind(
    code="buyouts", title="Выкупы Озоном", build=_buyouts, inputs=frozenset({Input.BUYOUTS}),
    grain=RollupGrain.BY_MONTH, columns=BUYOUT_COLUMNS, groupings=(Grouping(code="line", label="По отправлениям"),),
))


def _recon(inputs: ReportInputs, selection: Selection) -> Table:
    return build_recon(inputs.period.months, inputs.settlement)


RECON = register(ReportKind(
    code="recon", title="Сверка с Ozon", build=_recon, inputs=frozenset({Input.SETTLEMENT}),
    grain=RollupGrain.BY_MONTH, drill=recon_drill,
))


def _cash(inputs: ReportInputs, selection: Selection) -> Table:
    return build_cash_flow(inputs)


CASH = register(ReportKind(
    code="cash", title="ДДС", build=_cash, inputs=frozenset({Input.CASH}), grain=RollupGrain.NONE,
    highlights=(HighlightRule(mark=Highlight.LOSS, rows=frozenset({"closing", "net_flow"})),),
    groupings=(Grouping(code="month", label="По месяцам"),),
))

STOCK = register(stock_kinds.STOCK_KIND)  # «Товарные остатки» (issue 13)
SUPPLY = register(stock_kinds.SUPPLY_KIND)  # «Планирование поставок» (issue 15)


def _ads(inputs: ReportInputs, selection: Selection) -> Table:
    return build_ads(inputs)


ADS = register(ReportKind(
    code="ads", title="Реклама", build=_ads, inputs=ALL_INPUTS | {Input.ADS}, grain=RollupGrain.BY_SKU, feature=FEATURE_ADS_REPORT,
    columns=ADS_COLUMNS, metrics=tuple(Metric(code=c.code, label=c.label) for c in ADS_COLUMNS),
    highlights=(HighlightRule(mark=Highlight.LOSS, columns=frozenset({"ads_profit"})),),
    groupings=(Grouping(code="campaign_sku", label="По кампаниям и товарам"),),
))
