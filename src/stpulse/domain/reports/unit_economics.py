"""Юнитка: a row per SKU for the period; rows (with «не распределено») add up to the P&L exactly.

Shop-level money (NON_ITEM fees, shop-level ads, own expenses) is split over the shop's SKUs by the chosen
rule with largest remainder, month by month (so per SKU Σ months = period); the tax is always split by net
revenue. Expenses keep their negative sign,
as in the P&L, so every money column is a plain sum.
"""

from __future__ import annotations

import msgspec
import numpy as np

from stpulse.domain.kernel.allocation import allocate_array
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
    labels = {(p.shop_id, p.sku): f"{p.offer_id} — {p.name}" if p.name else p.offer_id for p in products}
    shop_ids = cube.shop_ids[cube.sku_shop[skus]].tolist()
    flagged = (cube.uncosted[skus, 0] > 0).tolist()
    money, warn = Kind.MONEY, Highlight.WARNING
    return [Row(code=f"{shop_id}:{sku}", label=label if (label := labels.get((shop_id, sku))) is not None
                else f"SKU {sku}", kind=money, values=v, note="Нет себестоимости" if flag else "",
                highlight=warn if flag else None)
            for shop_id, sku, v, flag in zip(shop_ids, cube.skus[skus].tolist(), values, flagged, strict=False)]


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
        for m in range(len(cube.months)):
            weights = None if rule is AllocationRule.NONE else _weights(cube, skus[rows], m, rule)
            shop_level = cube.shop_level[s, m]
            for a in np.flatnonzero(shop_level):
                _split(articles[:, a], rows, int(shop_level[a]), weights)
            _split(opex, rows, int(cube.opex[s, m].sum()), weights)
            _split(tax, rows, int(taxes.amounts[s, m]), _weights(cube, skus[rows], m, AllocationRule.REVENUE))
    articles[:, NON_PNL] = 0  # взаимозачёт и обеспечительный платёж are not profit
    return Allocated(skus=skus, articles=articles, opex=opex, tax=tax)


def _split(out: np.ndarray, rows: np.ndarray, amount: int, weights: np.ndarray | None) -> None:
    """`amount` onto `rows` of `out` by largest remainder; onto the last row («не распределено») when there
    are no weights."""
    if not amount:
        return
    if weights is None or not weights.any():
        out[-1] += amount
    else:
        out[rows] += allocate_array(amount, weights)


def _weights(cube: PeriodCube, skus: np.ndarray, month: int, rule: AllocationRule) -> np.ndarray:
    column = 1 if rule is AllocationRule.UNITS else 0  # net units sold, or net revenue
    return np.maximum(cube.sku_month[skus, month, column], 0)
