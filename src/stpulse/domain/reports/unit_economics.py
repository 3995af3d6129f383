"""Юнитка: a row per SKU for the period; rows (with «не распределено») add up to the P&L exactly.

Shop-level money (NON_ITEM fees, shop-level ads, own expenses) is split over the shop's SKUs by the chosen
rule with largest remainder; the tax is always split by net revenue. Expenses keep their negative sign,
as in the P&L, so every money column is a plain sum.
"""

from __future__ import annotations

import msgspec
import numpy as np

from stpulse.domain.allocation import allocate_array
from stpulse.domain.ledger import BUYOUTS, N_ARTICLES, NON_PNL, RETURNS, REVENUE
from stpulse.domain.period import period_label
from stpulse.domain.reports.cube import (
    PNL_ARTICLES,
    AllocationRule,
    PeriodCube,
    Product,
    ReportInputs,
    build_cube,
)
from stpulse.domain.reports.pnl import uncosted_warnings
from stpulse.domain.reports.table import Kind, Row, Table
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
    money = Kind.MONEY
    return [Row(code=f"{shop_id}:{sku}", label=label if (label := labels.get((shop_id, sku))) is not None
                else f"SKU {sku}", kind=money, values=v, note="Нет себестоимости" if flag else "")
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
    skus, n_sku = listed_skus(cube), len(cube.skus)
    articles = np.zeros((len(skus) + 1, N_ARTICLES), dtype=np.int64)
    articles[:-1] = cube.slot[skus]
    opex, tax = np.zeros(len(skus) + 1, np.int64), np.zeros(len(skus) + 1, np.int64)
    for s in range(len(cube.shop_ids)):
        members = np.flatnonzero(cube.sku_shop[skus] == s)
        shop_level = cube.slot[n_sku + s]
        own, shop_tax = int(cube.opex[s].sum()), int(taxes.amounts[s].sum())
        if rule is AllocationRule.NONE or len(members) == 0:
            articles[-1] += shop_level
            opex[-1] += own
        else:
            w = _weights(cube, skus[members], rule)
            for a in np.flatnonzero(shop_level):
                articles[members, a] += allocate_array(int(shop_level[a]), w)
            opex[members] += allocate_array(own, w)
        if len(members):
            tax[members] += allocate_array(shop_tax, _weights(cube, skus[members], AllocationRule.REVENUE))
        else:
            tax[-1] += shop_tax
    articles[:, NON_PNL] = 0  # взаимозачёт и обеспечительный платёж are not profit
    return Allocated(skus=skus, articles=articles, opex=opex, tax=tax)


def _weights(cube: PeriodCube, skus: np.ndarray, rule: AllocationRule) -> np.ndarray:
    if rule is AllocationRule.UNITS:
        u = cube.units[skus]
        return np.maximum(u[:, 0] - u[:, 1] + u[:, 2], 0)
    net = cube.slot[skus][:, [REVENUE, RETURNS, BUYOUTS]].sum(axis=1)
    return np.maximum(net, 0)
