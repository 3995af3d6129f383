"""Any registered report for a set of shops and months, its inputs read through the ports."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import msgspec
import numpy as np

from stpulse.application.reports.cache import ESTIMATES
from stpulse.application.reports.facts_ports import FactReader
from stpulse.application.reports.ports import (
    AdStatsReader,
    BuyoutReader,
    CashReader,
    CatalogReader,
    CostReader,
    OpexReader,
    PayoutReader,
    PlanReader,
    ReportSpreadsheetWriter,
    ReturnOriginReader,
    RollupReader,
    SettlementReader,
    TaxSettingsReader,
)
from stpulse.application.reports.stock_ports import StockReader
from stpulse.domain.kernel.errors import ValidationError
from stpulse.domain.kernel.period import Period, month_first_day
from stpulse.domain.ledger.rollup import empty_rollup
from stpulse.domain.planning.history import StockHistory
from stpulse.domain.planning.plan import PlanTarget
from stpulse.domain.planning.supply import WINDOWS, SupplyParams
from stpulse.domain.reports.buyout_lines import BuyoutLine
from stpulse.domain.reports.cube import AllocationRule, ReportInputs
from stpulse.domain.reports.facts import Estimate, SkuHistory
from stpulse.domain.reports.kinds import ALL_INPUTS, Input, ReportKind, Selection
from stpulse.domain.reports.operational import (
    HISTORY_MONTHS,
    cost_change_months,
    estimate_by_orders,
    with_day_detail,
)
from stpulse.domain.reports.settlement import SettlementMonth
from stpulse.domain.reports.table import Table
from stpulse.domain.reports.tax_rules import TaxRegime, UsnBase

SKU_MASK = (1 << 40) - 1  # a key is shop << 40 | sku
STOCK_DAYS = 30  # «Товарные остатки»: speeds over 7 / 14 / 30 days


class ReportQuery(msgspec.Struct, frozen=True, kw_only=True):
    account_id: int
    shop_ids: tuple[int, ...]  # already checked to belong to the account by the caller
    month_from: str  # "YYYY-MM"
    month_to: str
    allocation: AllocationRule = AllocationRule.REVENUE
    options: tuple[tuple[str, str], ...] = ()
    as_of: int | None = None  # the last day with data (day number, Moscow): План's forecast
    estimate_key: str | None = None  # ОПиУ's estimate by order date: its key in `ESTIMATES` (None: not kept)


@dataclass(frozen=True, kw_only=True)
class ReportSources:
    """The readers a report needs; wired once in bootstrap."""

    rollups: RollupReader
    catalog: CatalogReader
    costs: CostReader
    opex: OpexReader
    tax: TaxSettingsReader
    payouts: PayoutReader | None = None
    returns: ReturnOriginReader | None = None  # None: no posting data, a return is costed on its own date
    stock: StockReader | None = None  # the stock history (Input.STOCK_HISTORY / Input.SUPPLY)
    plan: PlanReader | None = None
    buyouts: BuyoutReader | None = None  # «Выкупы Озоном» line by line (Input.BUYOUTS)
    settlement: SettlementReader | None = None
    cash: CashReader | None = None  # ДДС (Input.CASH)
    facts: FactReader | None = None  # posting lines, sales by day, return records, stock, models
    ads: AdStatsReader | None = None  # None: no ad statistics (the «Реклама» report is empty)


async def load_inputs(query: ReportQuery, src: ReportSources, wanted: frozenset[Input] = ALL_INPUTS,
                      selection: Selection | None = None) -> ReportInputs:
    """The period's rollups, and of the rest only what the report reads (`ReportKind.inputs`)."""
    inputs = await _money_inputs(query, src, wanted)
    facts, selection = src.facts, selection or Selection()
    if facts is None:
        return inputs
    first, last, shops = inputs.period.first_day, inputs.period.last_day, inputs.shop_ids
    view = selection.option("view", "sku")
    by_day = view in ("day", "week")
    if Input.ESTIMATE in wanted:  # ОПиУ by order date
        return msgspec.structs.replace(inputs, estimate=await _estimate(inputs, facts, query.estimate_key))
    return msgspec.structs.replace(
        inputs,
        orders=(await facts.order_facts(shops, first, last, view != "sku", by_month=view == "month")  # monthly sums
                if Input.ORDERS in wanted else None),
        sales=await facts.sales_facts(shops, first, last) if Input.SALES in wanted and by_day else None,
        returns=await facts.return_facts(shops, first, last) if Input.RETURNS in wanted else None,
        stock=await facts.stock_left(shops, last) if Input.STOCK in wanted else None,
        models=await facts.models(query.account_id) if selection.model or selection.by_model else {},
    )


async def _estimate(inputs: ReportInputs, facts: FactReader, key: str | None) -> Estimate:
    """The estimate kept under `key`, else made from the posting lines by month (a SKU's days in a month its cost
    changes in) and the SKUs' accruals from 3 months before the period on, and kept."""
    found = ESTIMATES.get(key) if key is not None else None
    if found is not None:
        return found
    first, last, shops = inputs.period.first_day, inputs.period.last_day, inputs.shop_ids
    orders = await facts.order_facts(shops, first, last, True, by_month=True)
    for month, keys in cost_change_months(inputs).items():  # a cost changing mid-month: that SKU's days
        month_last = month_first_day(month + 1) - dt.timedelta(days=1)
        skus = sorted({k & SKU_MASK for k in keys})  # only those SKUs' lines, not the month's every line
        orders = with_day_detail(orders, await facts.order_facts(shops, month_first_day(month), month_last,
                                                                 skus=skus), month, keys)
    before = month_first_day(inputs.period.first_month - HISTORY_MONTHS)
    # the months before the period apart: the period's own months are read from their packs, kept per process
    history = SkuHistory.concat([await facts.sku_history(shops, before, first - dt.timedelta(days=1)),
                                 await facts.sku_history(shops, first, last)])
    estimate = estimate_by_orders(msgspec.structs.replace(inputs, orders=orders, history=history),
                                  np.unique(np.asarray(shops, dtype=np.int64)))  # the cube's shop order
    if key is not None:
        ESTIMATES.put(key, estimate)
    return estimate


async def _money_inputs(query: ReportQuery, src: ReportSources, wanted: frozenset[Input]) -> ReportInputs:
    if not query.shop_ids:
        raise ValidationError({"shop_ids": "Выберите хотя бы один магазин"})
    period = Period.parse(query.month_from, query.month_to)
    shops = tuple(sorted(set(query.shop_ids)))
    tax = dict(await src.tax.tax_settings(shops)) if Input.TAX in wanted else {}
    wants_payouts = any(s.regime is TaxRegime.USN_INCOME and s.usn_base is UsnBase.PAYOUTS for s in tax.values())
    payouts: dict[tuple[int, int], int] = {}
    if wants_payouts and src.payouts is not None:
        known = await src.payouts.monthly_payouts(shops, period)
        payouts = {(s, m): known.get((s, m), 0) for s in shops for m in period.months}  # no payout = 0
    settlement: tuple[SettlementMonth, ...] = ()
    if (Input.SETTLEMENT in wanted or Input.TAX in wanted) and src.settlement is not None:  # TAX: УСН base
        settlement = tuple(await src.settlement.settlement_months(shops, period))
    origins = None
    stock_kind = bool(wanted & {Input.STOCK_HISTORY, Input.SUPPLY})  # reads no rollups: stock, not money
    if Input.COSTS in wanted and src.returns is not None and not stock_kind:
        origins = await src.returns.return_origins(shops, period.first_day, period.last_day)
    targets: tuple[PlanTarget, ...] = ()
    daily = None
    if Input.PLAN in wanted and src.plan is not None:
        targets, daily = await src.plan.plan_inputs(shops, period, query.as_of)
    buyouts: tuple[BuyoutLine, ...] = ()
    if Input.BUYOUTS in wanted and src.buyouts is not None:
        buyouts = tuple(await src.buyouts.buyouts(shops, period.first_day, period.last_day))
    stock, params, transit = await _stock_inputs(src, shops, period, wanted)
    return ReportInputs(
        stock_history=stock, supply_params=params, supply_transit=transit,
        period=period, shop_ids=shops, return_origins=origins, plan_targets=targets, daily=daily, as_of=query.as_of,
        buyouts=buyouts,
        rollup=empty_rollup(shops) if stock_kind else await src.rollups.read_rollup(shops, period.first_day,
                                                                                      period.last_day),
        products=tuple(await src.catalog.products(shops)) if Input.CATALOG in wanted else (),
        costs=(await src.costs.cost_book(query.account_id)).table() if Input.COSTS in wanted else None,
        opex=tuple(await src.opex.opex(shops, period)) if Input.OPEX in wanted else (), tax=tax, payouts=payouts,
        settlement=settlement,
        cash=await src.cash.cash_inputs(shops, period) if Input.CASH in wanted and src.cash is not None else None,
        ads=await src.ads.ad_stats(shops, period.first_day, period.last_day)
        if Input.ADS in wanted and src.ads is not None else None,
    )


async def _stock_inputs(src: ReportSources, shops: tuple[int, ...], period: Period, wanted: frozenset[Input]) -> tuple[
        StockHistory | None, dict[tuple[int, int], SupplyParams], dict[tuple[int, int, str], int] | None]:
    if src.stock is None or not wanted & {Input.STOCK_HISTORY, Input.SUPPLY}:
        return None, {}, None
    if Input.SUPPLY not in wanted:
        return await src.stock.stock_history(shops, period.last_day, STOCK_DAYS), {}, None
    history = await src.stock.stock_history(shops, period.last_day, max(WINDOWS), season_days=max(WINDOWS))
    return history, dict(await src.stock.supply_params()), dict(await src.stock.supply_transit(shops))


async def build_table(kind: ReportKind, query: ReportQuery, src: ReportSources,
                      selection: Selection | None = None) -> Table:
    """Any registered report: its inputs through the ports, its pure build function, its entry's rules."""
    selection = selection or Selection(allocation=query.allocation)
    return kind.render(await load_inputs(query, src, kind.inputs, selection), selection)


async def export_report(table: Table, writer: ReportSpreadsheetWriter) -> bytes:
    """The same table as an xlsx file: the writer renders exactly the numbers of the page."""
    return writer.write_table(table)
