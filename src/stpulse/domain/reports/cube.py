"""One pass over the rollups of a period: every figure the P&L and the unit economics need.

The cube keeps two int64 reductions of the same rows — by (shop, month, article) for the P&L and by
(slot, article) for the unit economics, where a slot is a SKU or, after the SKUs, a shop's shop-level
money — so both reports are sums of the same kopecks and agree by construction.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

import msgspec
import numpy as np

from stpulse.domain.cash.flows import CashInputs
from stpulse.domain.costs.cogs import CostTable
from stpulse.domain.kernel.grouping import find_keys
from stpulse.domain.kernel.period import Period, months_of_days
from stpulse.domain.ledger.ad_stats import AdStatsTable
from stpulse.domain.ledger.articles import BUYOUTS, N_ARTICLES, NON_PNL, RETURNS, REVENUE
from stpulse.domain.ledger.rollup import Rollup
from stpulse.domain.planning.history import StockHistory
from stpulse.domain.planning.supply import SupplyParams
from stpulse.domain.reports.buyout_lines import BuyoutLine
from stpulse.domain.reports.facts import Estimate, OrderFacts, ReturnFacts, SalesFacts, SkuHistory, StockLeft
from stpulse.domain.reports.return_costs import ReturnOrigin, match_returns
from stpulse.domain.reports.settlement import SettlementMonth
from stpulse.domain.reports.tax_rules import TaxSettings

CORRECTION = -2  # rollup sku of a month correction row (see `PeriodCube`): in the month totals, in no slot
PNL_ARTICLES = np.array([i for i in range(N_ARTICLES) if i != NON_PNL], dtype=np.intp)
SOLD, RETURNED, BOUGHT_OUT = 0, 1, 2
UNCOSTED_ROWS, UNCOSTED_SOLD, UNCOSTED_RETURNED, UNCOSTED_REVENUE = 0, 1, 2, 3
_UNIT_COLUMN = {REVENUE: SOLD, RETURNS: RETURNED, BUYOUTS: BOUGHT_OUT}


class AllocationRule(StrEnum):
    REVENUE = "revenue"  # shop-level money split by the SKUs' net revenue
    UNITS = "units"  # by net units sold
    NONE = "none"  # kept on a «не распределено» row


class Product(msgspec.Struct, frozen=True, kw_only=True, gc=False):  # thousands a report, no cycles
    shop_id: int
    sku: int  # Ozon SKU
    offer_id: str
    name: str = ""


class OpexEntry(msgspec.Struct, frozen=True, kw_only=True):
    """A user's own expense (упаковка, фулфилмент, зарплата, аренда …) for a shop and month."""

    shop_id: int
    month: int  # month number since 1970-01
    article: str
    amount: int  # kopecks, positive = expense


class ReportInputs(msgspec.Struct, frozen=True, kw_only=True):
    period: Period
    shop_ids: tuple[int, ...]
    rollup: Rollup  # accruals + buyouts + Performance spend, any days (filtered to the period here)
    products: tuple[Product, ...] = ()
    costs: CostTable | None = None
    opex: tuple[OpexEntry, ...] = ()
    tax: dict[int, TaxSettings] = msgspec.field(default_factory=dict)  # shop_id → settings
    payouts: dict[tuple[int, int], int] = msgspec.field(default_factory=dict)  # (shop_id, month) → kopecks
    return_origins: tuple[ReturnOrigin, ...] | None = None  # None: no posting data to find a return's sale
    stock_history: StockHistory | None = None  # Input.STOCK_HISTORY / Input.SUPPLY
    supply_params: dict[tuple[int, int], SupplyParams] = msgspec.field(default_factory=dict)  # (shop, sku) →
    supply_transit: dict[tuple[int, int, str], int] | None = None  # (shop, sku, cluster) → units; None: unknown
    plan_targets: tuple[Any, ...] = ()  # План's targets (`domain.planning.plan.PlanTarget`)
    daily: Rollup | None = None  # sales rows by day, from before the period (План's forecast)
    as_of: int | None = None  # the last day with data (day number, Moscow); None: every month is closed
    buyouts: tuple[BuyoutLine, ...] = ()  # «Выкупы Озоном» line by line (read only when the kind asks: Input.BUYOUTS)
    settlement: tuple[SettlementMonth, ...] = ()  # Input.SETTLEMENT: «Сверка с Ozon»
    cash: CashInputs | None = None  # ДДС: money accounts, the user's entries, Ozon's balance (Input.CASH)
    orders: OrderFacts | None = None  # Input.ORDERS (by day for Input.ESTIMATE)
    history: SkuHistory | None = None  # Input.ESTIMATE: the SKUs' accruals by month before each month of the period
    estimate: Estimate | None = None  # Input.ESTIMATE made already (a kept copy): orders and history unread
    sales: SalesFacts | None = None  # Input.SALES
    returns: ReturnFacts | None = None  # Input.RETURNS
    stock: StockLeft | None = None  # Input.STOCK
    models: dict[str, str] = msgspec.field(default_factory=dict)  # offer_id → model (asked by the selection)
    ads: AdStatsTable | None = None  # Performance API statistics (read only for a report with Input.ADS)


class PeriodCube(msgspec.Struct, frozen=True, kw_only=True):
    """The period's money reduced every way the reports need.

    Rollup rows with sku −1 are shop-level; rows with sku `CORRECTION` (made by a reader that keeps non-sales
    money per SKU over the whole period and places it on the first month) only move money between months: they
    count in `shop_month` and in no slot, and add up to zero over the period per article.
    """

    months: tuple[int, ...]
    shop_ids: np.ndarray  # int64, sorted: cube shop index → shop id
    skus: np.ndarray  # int64 Ozon SKU per sku index (the rollup's)
    sku_shop: np.ndarray  # cube shop index per sku index
    shop_month: np.ndarray  # int64 [shop, month, article]
    slot: np.ndarray  # int64 [sku… then shop-level per shop, article]
    shop_level: np.ndarray  # int64 [shop, month, article]: money on no SKU, split over the SKUs month by month
    sku_month: np.ndarray  # int64 [sku, month, (net revenue, net units)]: the weights of that split
    units: np.ndarray  # int64 [sku, SOLD|RETURNED|BOUGHT_OUT]
    cogs_shop_month: np.ndarray  # int64 [shop, month], negative
    cogs_sku: np.ndarray  # int64 [sku], negative
    uncosted: np.ndarray  # int64 [sku, UNCOSTED_* (rows, sold units, returned units, net revenue)] without a cost
    opex_names: tuple[str, ...]
    opex: np.ndarray  # int64 [shop, month, opex article], negative
    returns_at_return_date: int = 0  # returned units whose sale was not found: costed on the return date
    sku_product: np.ndarray | None = None  # index into the inputs' products per sku index (−1: not in the catalogue)


class _Rows(msgspec.Struct, frozen=True, kw_only=True):
    """The period's rows of the queried shops, with the cube's shop index and the month index."""

    shop: np.ndarray
    month: np.ndarray
    sku: np.ndarray
    article: np.ndarray
    day: np.ndarray
    amount: np.ndarray
    quantity: np.ndarray


def _rows(inputs: ReportInputs, shop_ids: np.ndarray) -> _Rows:
    r, period = inputs.rollup, inputs.period
    first, last = period.day_range
    shop_map = _shop_map(r.shop_ids, shop_ids)
    rel = r.day - np.int32(first)
    shop = shop_map[r.shop] if len(r.shop_ids) else np.zeros(len(r), np.int32)
    keep = (rel >= 0) & (rel <= last - first) & (shop >= 0)
    pick = (lambda a: a) if keep.all() else (lambda a: a[keep])  # skip the copies when nothing is dropped
    # a day → month table over the period is a gather, far cheaper than datetime64 conversions per row
    month_of = (months_of_days(np.arange(first, last + 1)) - period.first_month).astype(np.int32)
    return _Rows(shop=pick(shop), month=month_of[pick(rel)], sku=pick(r.sku), article=pick(r.article),
                 day=pick(r.day), amount=pick(r.amount), quantity=pick(r.quantity))


def build_cube(inputs: ReportInputs) -> PeriodCube:
    period, r = inputs.period, inputs.rollup
    shop_ids = np.unique(np.array(inputs.shop_ids, dtype=np.int64))
    x = _rows(inputs, shop_ids)
    n_shop, n_month, n_sku = len(shop_ids), len(period.months), len(r.skus)
    art = x.article.astype(np.int32)
    shop_month = _sum_by((x.shop * n_month + x.month) * N_ARTICLES + art, x.amount, n_shop * n_month * N_ARTICLES)
    slot = np.where(x.sku >= 0, x.sku, np.where(x.sku == CORRECTION, n_sku + n_shop, n_sku) + x.shop)
    by_slot = _sum_by(slot * N_ARTICLES + art, x.amount, (n_sku + 2 * n_shop) * N_ARTICLES)[:(n_sku + n_shop) * N_ARTICLES]
    shop_rows = np.flatnonzero(x.sku == -1)
    shop_level = _sum_by((x.shop[shop_rows] * n_month + x.month[shop_rows]) * N_ARTICLES + art[shop_rows],
                         x.amount[shop_rows], n_shop * n_month * N_ARTICLES)
    sales = np.flatnonzero((x.sku >= 0) & ((art == REVENUE) | (art == RETURNS) | (art == BUYOUTS)))
    s_sku, s_art, s_qty, s_amount = x.sku[sales], art[sales], x.quantity[sales], x.amount[sales]
    unit_col = np.where(s_art == REVENUE, SOLD, np.where(s_art == RETURNS, RETURNED, BOUGHT_OUT))
    units = _sum_by(s_sku * 3 + unit_col, s_qty, n_sku * 3)
    s_month = x.month[sales] * 2
    signed_units = np.where(s_art == RETURNS, -s_qty, s_qty)
    sku_month = _sum_by(s_sku * (n_month * 2) + s_month, s_amount, n_sku * n_month * 2)
    sku_month += _sum_by(s_sku * (n_month * 2) + s_month + 1, signed_units, n_sku * n_month * 2)
    sku_shop = _shop_map(r.shop_ids, shop_ids)[r.sku_shop] if n_sku else np.zeros(0, np.int64)
    sku_product = product_index(inputs.products, r)
    cogs, uncosted, unmatched = _cost_of_sales(inputs, sku_product, s_sku, x.day[sales], s_art, s_qty, s_amount)
    cogs_sm = _sum_by(x.shop[sales] * n_month + x.month[sales], cogs, n_shop * n_month)
    opex_names, opex = _opex(inputs.opex, shop_ids, period)
    return PeriodCube(
        months=period.months, shop_ids=shop_ids, skus=r.skus, sku_shop=sku_shop,
        shop_month=shop_month.reshape(n_shop, n_month, N_ARTICLES),
        slot=by_slot.reshape(n_sku + n_shop, N_ARTICLES), units=units.reshape(n_sku, 3),
        shop_level=shop_level.reshape(n_shop, n_month, N_ARTICLES), sku_month=sku_month.reshape(n_sku, n_month, 2),
        cogs_shop_month=cogs_sm.reshape(n_shop, n_month), cogs_sku=_sum_by(s_sku, cogs, n_sku),
        uncosted=uncosted.reshape(n_sku, 4), opex_names=opex_names, opex=opex, returns_at_return_date=unmatched,
        sku_product=sku_product,
    )


def _sum_by(key: np.ndarray, values: np.ndarray, size: int) -> np.ndarray:
    out = np.zeros(size, dtype=np.int64)
    np.add.at(out, key, values)
    return out


def _shop_map(rollup_shops: np.ndarray, shop_ids: np.ndarray) -> np.ndarray:
    """Rollup shop index → cube shop index, −1 for shops outside the query."""
    return find_keys(shop_ids, np.asarray(rollup_shops, np.int64)).astype(np.int32)


def _cost_of_sales(inputs: ReportInputs, sku_product: np.ndarray, sku: np.ndarray, day: np.ndarray, art: np.ndarray,
                   quantity: np.ndarray, amount: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """COGS per sales row (negative; a return gives back the cost of the sale it reverses, see `return_costs`),
    per SKU the rows, sold and returned units (apart: a return never nets against a sale of another SKU) and
    net revenue that found no cost, and the returned units costed on their return date for want of their sale."""
    signed_units = np.where(art == RETURNS, -quantity, quantity)
    r = inputs.rollup
    offer_idx = _offer_index(inputs, sku_product)
    if inputs.costs is None or len(sku) == 0:
        cost, known = np.zeros(len(sku), np.int64), np.zeros(len(sku), bool)
    else:
        cost, known = inputs.costs.lookup(offer_idx[sku], day)
    n_sku, miss = len(r.skus), ~known
    uncosted = np.zeros(n_sku * 4, dtype=np.int64)
    returned = art[miss] == RETURNS
    np.add.at(uncosted, sku[miss] * 4 + UNCOSTED_ROWS, 1)
    np.add.at(uncosted, sku[miss] * 4 + np.where(returned, UNCOSTED_RETURNED, UNCOSTED_SOLD), quantity[miss])
    np.add.at(uncosted, sku[miss] * 4 + UNCOSTED_REVENUE, amount[miss])
    cogs = -(cost * signed_units)
    if inputs.return_origins is None:
        return cogs, uncosted, 0
    ret = np.flatnonzero((art == RETURNS) & known)
    back = match_returns(inputs.return_origins, sku_keys(r), offer_idx, inputs.costs, (sku[ret], day[ret], quantity[ret]))
    cogs[ret] = back.cost + cost[ret] * (quantity[ret] - back.matched)
    return cogs, uncosted, back.at_return_date


def sku_keys(r: Rollup) -> np.ndarray:
    """(shop id << 40) | Ozon SKU per sku index of the rollup: one int64 key per (shop, SKU)."""
    return (np.asarray(r.shop_ids, np.int64)[r.sku_shop] << 40) | np.asarray(r.skus, np.int64) if len(r.skus) \
        else np.zeros(0, np.int64)


def product_index(products: tuple[Product, ...], r: Rollup) -> np.ndarray:
    """Index into `products` per sku index of the rollup (−1: not in the catalogue); of two products of one
    (shop, SKU) the later, as a dict made from them would keep."""
    keys = np.fromiter(((p.shop_id << 40) | p.sku for p in products), np.int64, len(products))
    return find_keys(keys, sku_keys(r))


def _offer_index(inputs: ReportInputs, sku_product: np.ndarray) -> np.ndarray:
    if inputs.costs is None or not inputs.products:
        return np.full(len(sku_product), -1, np.int32)
    of_product = inputs.costs.offer_index([p.offer_id for p in inputs.products])
    return np.where(sku_product >= 0, of_product[np.maximum(sku_product, 0)], -1).astype(np.int32)


def _opex(entries: tuple[OpexEntry, ...], shop_ids: np.ndarray, period: Period) -> tuple[tuple[str, ...], np.ndarray]:
    inside = [e for e in entries if period.first_month <= e.month <= period.last_month and e.shop_id in shop_ids]
    names = tuple(sorted({e.article for e in inside}))
    out = np.zeros((len(shop_ids), len(period.months), len(names)), dtype=np.int64)
    pos = {n: i for i, n in enumerate(names)}
    for e in inside:
        out[int(np.searchsorted(shop_ids, e.shop_id)), e.month - period.first_month, pos[e.article]] -= e.amount
    return names, out


def ebitda_shop_month(cube: PeriodCube) -> np.ndarray:
    """Operating profit per (shop, month): P&L articles + COGS + own expenses."""
    return cube.shop_month[:, :, PNL_ARTICLES].sum(axis=2) + cube.cogs_shop_month + cube.opex.sum(axis=2)
