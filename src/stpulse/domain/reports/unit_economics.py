"""Юнитка: a row per SKU for the period; rows (with «не распределено») add up to the P&L exactly.

Shop-level money (NON_ITEM fees, shop-level ads, own expenses) is split over the shop's SKUs by the chosen
rule with largest remainder, month by month (so per SKU Σ months = period); the tax is always split by net
revenue. Expenses keep their negative sign,
as in the P&L, so every money column is a plain sum.
"""

from __future__ import annotations

import msgspec
import numpy as np

from stpulse.domain.kernel.allocation import Shares
from stpulse.domain.kernel.period import period_label
from stpulse.domain.ledger.articles import N_ARTICLES, NON_PNL
from stpulse.domain.reports.cube import (
    PNL_ARTICLES,
    AllocationRule,
    PeriodCube,
    Product,
    ReportInputs,
    build_cube,
)
from stpulse.domain.reports.pnl import uncosted_warnings
from stpulse.domain.reports.table import Highlight, Kind, Row, Table
from stpulse.domain.reports.taxes import ShopTaxes, shop_taxes
from stpulse.domain.reports.unit_metrics import COLUMNS, Money, metrics, row_values

UNALLOCATED = "unallocated"


class Allocated(msgspec.Struct, frozen=True, kw_only=True):
    """Money per listed SKU after allocation, plus what stayed shop-level."""

    skus: np.ndarray  # sku indices listed, in row order
    articles: np.ndarray  # int64 [row, article]; the last row is «не распределено»
    opex: np.ndarray  # int64 [row]
    tax: np.ndarray  # int64 [row]


def build_unit_economics(inputs: ReportInputs, rule: AllocationRule) -> Table:
    cube = build_cube(inputs)
    return unit_economics_from_cube(cube, shop_taxes(cube, inputs), rule, inputs.products)


def unit_economics_from_cube(cube: PeriodCube, taxes: ShopTaxes, rule: AllocationRule,
                             products: tuple[Product, ...] = ()) -> Table:
    alloc = allocate(cube, taxes, rule)
    money = _money(cube, alloc)
    values = row_values(metrics(money))
    rows = _sku_rows(cube, alloc.skus, products, values)
    if alloc.articles[-1].any() or alloc.opex[-1] or alloc.tax[-1]:
        rows.append(Row(code=UNALLOCATED, label="Не распределено", kind=Kind.MONEY,
                        values=values[-1], note="Расходы магазина, не отнесённые на товары"))
    total = row_values(metrics(money.total()))[0]
    rows.append(Row(code="total", label="Итого", kind=Kind.MONEY, values=total, emphasis=True))
    return Table(code="unit_economics", title="Юнит-экономика",
                 period=period_label(cube.months[0], cube.months[-1]),
                 first_header="Товар", columns=COLUMNS, rows=tuple(rows), total_label=None,
                 warnings=uncosted_warnings(cube))


def _sku_rows(cube: PeriodCube, skus: np.ndarray, products: tuple[Product, ...],
              values: list[tuple[int | None, ...]]) -> list[Row]:
    product = (cube.sku_product[skus] if cube.sku_product is not None and products
               else np.full(len(skus), -1)).tolist()
    shop_ids = cube.shop_ids[cube.sku_shop[skus]].tolist()
    flagged = (cube.uncosted[skus, 0] > 0).tolist()
    money, warn = Kind.MONEY, Highlight.WARNING
    return [Row(code=f"{shop_id}:{sku}", label=_label(products[p]) if p >= 0 else f"SKU {sku}", kind=money, values=v,
                note="Нет себестоимости" if flag else "", highlight=warn if flag else None)
            for shop_id, sku, p, v, flag in zip(shop_ids, cube.skus[skus].tolist(), product, values, flagged,
                                                strict=False)]


def _label(p: Product) -> str:
    return f"{p.offer_id} — {p.name}" if p.name else p.offer_id


def _money(cube: PeriodCube, alloc: Allocated) -> Money:
    n_rows = len(alloc.skus) + 1
    units = np.zeros((n_rows, 3), dtype=np.int64)
    units[:-1] = cube.units[alloc.skus]
    cogs = np.zeros(n_rows, dtype=np.int64)
    cogs[:-1] = cube.cogs_sku[alloc.skus]
    return Money(articles=alloc.articles, units=units, cogs=cogs, opex=alloc.opex, tax=alloc.tax)


def listed_skus(cube: PeriodCube) -> np.ndarray:
    n_sku = len(cube.skus)
    active = (cube.slot[:n_sku, PNL_ARTICLES] != 0).any(axis=1) | (cube.units != 0).any(axis=1)
    active |= cube.cogs_sku != 0
    return np.flatnonzero(active)


def allocate(cube: PeriodCube, taxes: ShopTaxes, rule: AllocationRule) -> Allocated:
    """Shop-level money, own expenses and the tax of each month go to the SKUs by that month's weights, so a
    SKU's figures over a period are the sum of its months. A month whose weights are all zero (no SKU sold
    anything) keeps its shop-level money on «не распределено»."""
    skus = listed_skus(cube)
    articles = np.zeros((len(skus) + 1, N_ARTICLES), dtype=np.int64)
    articles[:-1] = cube.slot[skus]
    opex, tax = np.zeros(len(skus) + 1, np.int64), np.zeros(len(skus) + 1, np.int64)
    for s in range(len(cube.shop_ids)):
        rows = np.flatnonzero(cube.sku_shop[skus] == s)
        revenue = _weights(cube, skus[rows], AllocationRule.REVENUE)  # [month, row]: the tax's, always
        chosen = revenue if rule is AllocationRule.REVENUE else _weights(cube, skus[rows], rule)
        for m in range(len(cube.months)):
            by_revenue = _Target(rows, Shares(revenue[m]))
            target = None if rule is AllocationRule.NONE else by_revenue if chosen is revenue \
                else _Target(rows, Shares(chosen[m]))
            shop_level = cube.shop_level[s, m]
            for a in np.flatnonzero(shop_level).tolist():
                _split(articles[:, a], int(shop_level[a]), target)
            _split(opex, int(cube.opex[s, m].sum()), target)
            _split(tax, int(taxes.amounts[s, m]), by_revenue)
    articles[:, NON_PNL] = 0  # взаимозачёт и обеспечительный платёж are not profit
    return Allocated(skus=skus, articles=articles, opex=opex, tax=tax)


class _Target:
    """The rows of a split (a shop's listed SKUs with a positive weight) and its shares."""

    def __init__(self, rows: np.ndarray, shares: Shares) -> None:
        self.rows, self.shares = rows[shares.where], shares


def _split(out: np.ndarray, amount: int, target: _Target | None) -> None:
    """`amount` onto the target's rows of `out` by largest remainder; onto the last row («не распределено») when
    there are no weights."""
    if not amount:
        return
    if target is None or not target.shares.positive:
        out[-1] += amount
    else:
        out[target.rows] += target.shares.split_positive(amount)


def _weights(cube: PeriodCube, skus: np.ndarray, rule: AllocationRule) -> np.ndarray:
    """[month, sku] weights of the rule (net revenue, or net units sold), each month's row contiguous."""
    column = 1 if rule is AllocationRule.UNITS else 0
    return np.ascontiguousarray(np.maximum(cube.sku_month[skus, :, column], 0).T)
