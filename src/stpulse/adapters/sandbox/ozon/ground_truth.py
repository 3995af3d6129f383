"""What the sandbox generated, in kopecks, for tests and benchmarks to check reports against.

Computed from the very arrays the API slices its days from (each creation day's event blocks and
each day's own charges), binned by accrual day with int64 numpy sums — no day tables are built, so
a year of a medium seller costs about a second, and a repeated query is served from a cache.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np

from stpulse.adapters.sandbox.ozon.day_table import (
    CAT_POSTING,
    CATEGORY_NAMES,
    COMP_SALE,
    COMP_SERVICE,
    Block,
)
from stpulse.adapters.sandbox.ozon.events import GROUP_WINDOWS, daily_block
from stpulse.adapters.sandbox.ozon.origin import LOOKBACK_DAYS, OriginDay, day_index
from stpulse.adapters.sandbox.ozon.profiles import STREAM_DAILY, rng_for
from stpulse.adapters.sandbox.ozon.reference import T_COMPENSATION, T_ITEM_COMPENSATION
from stpulse.adapters.sandbox.ozon.render import accrual_lines
from stpulse.adapters.sandbox.ozon.stocks import fbo_stock_rows
from stpulse.adapters.sandbox.ozon.world import SellerWorld
from stpulse.domain.ledger.accruals import AccrualLine

_COMPONENT_NAMES = ("sale", "commission", "service")


@dataclass
class GroundTruth:
    """Totals over [date_from, date_to] (inclusive, Moscow days). Money in kopecks."""

    date_from: dt.date
    date_to: dt.date
    total: int = 0
    by_day: dict[dt.date, int] = field(default_factory=dict)
    by_type: Counter = field(default_factory=Counter)  # SERVICE lines per accrual type id
    by_component: Counter = field(default_factory=Counter)  # sale / commission / service
    by_category: Counter = field(default_factory=Counter)  # POSTING / ITEM / NON_ITEM
    by_sku: Counter = field(default_factory=Counter)  # lines that carry a SKU
    n_accruals: int = 0
    n_lines: int = 0
    postings_fbo: int = 0  # created in the period
    postings_fbs: int = 0
    cancelled: int = 0  # created in the period and cancelled (by now)
    delivered: int = 0  # postings delivered (sale accruals) in the period
    returns: int = 0  # return records (product lines: ClientReturn + FullReturn) dated in the period
    buyouts: int = 0  # postings bought out by Ozon, delivered in the period
    buyout_amount: int = 0  # kopecks credited for them (/v1/finance/products/buyout `amount`)
    buyout_units: int = 0
    compensations: int = 0  # Ozon's compensations (types 10 Compensation, 25 ItemCompensation), positive
    decompensations: int = 0  # compensations taken back (a negative Compensation), negative
    products: int = 0
    stock_rows: int = 0  # FBO (sku, warehouse) rows of /v1/analytics/stocks as of today


class _Bins:
    """Line columns of the period gathered chunk by chunk, reduced once at the end."""

    def __init__(self) -> None:
        self.parts: list[tuple[np.ndarray, ...]] = []
        self.n_accruals = 0

    def add(self, block: Block, line_day: np.ndarray, mask: np.ndarray) -> None:
        if not mask.any():
            return
        ln = block.lines
        cats = block.cat if block.cat is not None else np.full(block.size, block.category)
        self.parts.append((line_day[mask], ln["comp"][mask], ln["type_id"][mask], ln["sku"][mask],
                           ln["amount"][mask], cats[block.acc[mask]], ln["rank"][mask]))
        self.n_accruals += int((np.bincount(block.acc[mask], minlength=block.size) > 0).sum())

    def column(self, i: int) -> np.ndarray:
        return np.concatenate([p[i] for p in self.parts]) if self.parts else np.zeros(0, np.int64)


def ground_truth(world: SellerWorld, date_from: dt.date, date_to: dt.date) -> GroundTruth:
    key = ("ground_truth", date_from, date_to)
    if key not in world.memo:
        world.memo[key] = _compute(world, date_from, date_to)
    return world.memo[key]


def _compute(world: SellerWorld, date_from: dt.date, date_to: dt.date) -> GroundTruth:
    gt = GroundTruth(date_from=date_from, date_to=date_to, products=world.catalog.n,
                     stock_rows=len(fbo_stock_rows(world)))
    days = list(world.days(date_from, date_to))
    if not days:
        return gt
    lo, hi = day_index(days[0]), day_index(days[-1])
    bins = _Bins()
    for back in range(-LOOKBACK_DAYS, len(days)):
        origin = world.origin(days[0] + dt.timedelta(days=back))
        if origin is None:
            continue
        _count_origin(gt, origin, lo, hi)
        for group in GROUP_WINDOWS:
            events = world.origin_events(origin.day, group)
            if events is not None:
                line_day = events.acc_day[events.block.acc]
                bins.add(events.block, line_day, (line_day >= lo) & (line_day <= hi))
    for day in days:
        block = daily_block(rng_for(world.seed, STREAM_DAILY, day_index(day)), day, world.catalog, world.profile,
                            world.extra_type_ids)
        bins.add(block, np.full(block.lines["amount"].size, day_index(day)), np.ones(block.lines["amount"].size, bool))
    _reduce(gt, bins, days)
    return gt


def _count_origin(gt: GroundTruth, o: OriginDay, lo: int, hi: int) -> None:
    if lo <= o.index <= hi:
        gt.postings_fbs += int(o.fbs.sum())
        gt.postings_fbo += int((~o.fbs).sum())
        gt.cancelled += int(o.cancelled.sum())
    kinds = o.kinds()
    live, day = kinds["sale"]
    gt.delivered += int((live & (day >= lo) & (day <= hi)).sum())
    bought = kinds["buyout"][0] & (o.deliver_day >= lo) & (o.deliver_day <= hi)
    lines = o.lines_of(np.flatnonzero(bought))
    price, deduction = o.price[lines], o.commission_bp[lines] // 100
    gt.buyouts += int(bought.sum())
    gt.buyout_amount += int(((price - (price * deduction + 50) // 100) * o.qty[lines]).sum())
    gt.buyout_units += int(o.qty[lines].sum())


def _reduce(gt: GroundTruth, bins: _Bins, days: list[dt.date]) -> None:
    line_day, comp, type_id, sku, amount, cat, rank = (bins.column(i) for i in range(7))
    service = comp == COMP_SERVICE
    by_day = _sum_by(line_day, amount)
    gt.by_day = {d: by_day.get(day_index(d), 0) for d in days}
    gt.total = int(amount.sum())
    gt.by_type.update(_sum_by(type_id[service], amount[service]))
    gt.by_component.update({_COMPONENT_NAMES[k]: v for k, v in _sum_by(comp, amount).items()})
    gt.by_category.update({CATEGORY_NAMES[k]: v for k, v in _sum_by(cat, amount).items()})
    gt.by_sku.update(_sum_by(sku[sku != 0], amount[sku != 0]))
    gt.n_lines, gt.n_accruals = int(amount.size), bins.n_accruals
    compensation = service & np.isin(type_id, (T_COMPENSATION, T_ITEM_COMPENSATION))
    gt.compensations = int(amount[compensation & (amount > 0)].sum())
    gt.decompensations = int(amount[compensation & (amount < 0)].sum())
    returned = (comp == COMP_SALE) & (amount < 0)
    refused = (rank == 0) & (cat == CAT_POSTING) & service  # a POSTING whose first part is logistics
    gt.returns = int(returned.sum() + refused.sum())


def _sum_by(keys: np.ndarray, values: np.ndarray) -> dict[int, int]:
    if not keys.size:
        return {}
    uniq, inverse = np.unique(keys, return_inverse=True)
    sums = np.zeros(uniq.size, dtype=np.int64)
    np.add.at(sums, inverse, values.astype(np.int64))
    return dict(zip(uniq.tolist(), sums.tolist(), strict=True))


def iter_accrual_lines(world: SellerWorld, date_from: dt.date, date_to: dt.date) -> Iterator[AccrualLine]:
    """Normalised lines of every accrual in the period, day by day, as the adapter should produce them."""
    for day in world.days(date_from, date_to):
        yield from accrual_lines(world.day_table(day), world.salt)

