"""What the sandbox generated, in kopecks, for tests and benchmarks to check reports against.

Everything is computed from the same day tables the API serves, so it cannot drift from the answers.
Per-day summaries are cached on the world: a second query over the same days costs nothing.
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
    DayTable,
)
from stpulse.adapters.sandbox.ozon.origin import LOOKBACK_DAYS, OriginDay, day_index
from stpulse.adapters.sandbox.ozon.render import accrual_lines
from stpulse.adapters.sandbox.ozon.stocks import fbo_stock_rows
from stpulse.adapters.sandbox.ozon.world import SellerWorld
from stpulse.domain.accruals import AccrualLine

_COMPONENT_NAMES = ("sale", "commission", "service")


@dataclass(frozen=True)
class DaySummary:
    total: int
    n_accruals: int
    n_lines: int
    by_type: dict[int, int]
    by_component: dict[str, int]
    by_category: dict[str, int]
    by_sku: dict[int, int]
    postings_fbo: int
    postings_fbs: int
    cancelled: int
    delivered: int
    returns: int
    buyouts: int
    buyout_amount: int


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
    delivered: int = 0  # delivered in the period (sale accruals)
    returns: int = 0  # return records (product lines) with a return date in the period
    buyouts: int = 0  # postings bought out by Ozon, delivered in the period
    buyout_amount: int = 0
    products: int = 0
    stock_rows: int = 0


def ground_truth(world: SellerWorld, date_from: dt.date, date_to: dt.date) -> GroundTruth:
    gt = GroundTruth(date_from=date_from, date_to=date_to, products=world.catalog.n,
                     stock_rows=len(fbo_stock_rows(world)))
    for day in world.days(date_from, date_to):
        s = day_summary(world, day)
        gt.by_day[day] = s.total
        gt.total += s.total
        gt.n_accruals += s.n_accruals
        gt.n_lines += s.n_lines
        gt.by_type.update(s.by_type)
        gt.by_component.update(s.by_component)
        gt.by_category.update(s.by_category)
        gt.by_sku.update(s.by_sku)
        for name in ("postings_fbo", "postings_fbs", "cancelled", "delivered", "returns", "buyouts",
                     "buyout_amount"):
            setattr(gt, name, getattr(gt, name) + getattr(s, name))
    return gt


def day_summary(world: SellerWorld, day: dt.date) -> DaySummary:
    key = day_index(day)
    cached = world.summaries.get(key)
    if isinstance(cached, DaySummary):
        return cached
    summary = _summarise(world, day, world.day_table(day))
    world.summaries[key] = summary
    return summary


def _summarise(world: SellerWorld, day: dt.date, t: DayTable) -> DaySummary:
    amount, comp = t.ln["amount"], t.ln["comp"]
    service = comp == COMP_SERVICE
    o = world.origin(day)
    recent = list(_recent_origins(world, day))
    x = day_index(day)
    bought = _buyouts(recent, x)
    return DaySummary(
        total=int(amount.sum()), n_accruals=t.n_accruals, n_lines=t.n_lines,
        by_type=_sum_by(t.ln["type_id"][service], amount[service]),
        by_component={_COMPONENT_NAMES[k]: v for k, v in _sum_by(comp, amount).items()},
        by_category={CATEGORY_NAMES[k]: v for k, v in _sum_by(t.acc_cat, t.acc_total).items()},
        by_sku=_sum_by(t.ln["sku"][t.ln["sku"] != 0], amount[t.ln["sku"] != 0]),
        postings_fbo=int((~o.fbs).sum()) if o else 0, postings_fbs=int(o.fbs.sum()) if o else 0,
        cancelled=int(o.cancelled.sum()) if o else 0, delivered=sum(r.on_day("sale", x).size for r in recent),
        returns=_returned_lines(t),
        buyouts=bought[0], buyout_amount=bought[1],
    )


def _sum_by(keys: np.ndarray, values: np.ndarray) -> dict[int, int]:
    if not keys.size:
        return {}
    uniq, inverse = np.unique(keys, return_inverse=True)
    sums = np.zeros(uniq.size, dtype=np.int64)
    np.add.at(sums, inverse, values.astype(np.int64))
    return dict(zip(uniq.tolist(), sums.tolist(), strict=True))


def _returned_lines(t: DayTable) -> int:
    """Product lines of return accruals (negative sale) and refusals (POSTING without a sale part)."""
    first_part = t.ln["rank"] == 0
    posting = t.acc_cat[t.ln_acc] == CAT_POSTING
    returned = (t.ln["comp"] == COMP_SALE) & (t.ln["amount"] < 0)
    refused = first_part & posting & (t.ln["comp"] == COMP_SERVICE)
    return int(returned.sum() + refused.sum())


def _buyouts(recent: list[OriginDay], x: int) -> tuple[int, int]:
    """(postings, kopecks) bought out by Ozon on day index x — the same arithmetic as buyout_rows."""
    count, amount = 0, 0
    for o in recent:
        postings = o.on_day("buyout", x)
        if not postings.size:
            continue
        lines = o.lines_of(postings)
        price, deduction = o.price[lines], o.commission_bp[lines] // 100
        count += postings.size
        amount += int(((price - (price * deduction + 50) // 100) * o.qty[lines]).sum())
    return count, amount


def _recent_origins(world: SellerWorld, day: dt.date) -> Iterator[OriginDay]:
    for back in range(LOOKBACK_DAYS, -1, -1):
        o = world.origin(day - dt.timedelta(days=back))
        if o is not None:
            yield o


def iter_accrual_lines(world: SellerWorld, date_from: dt.date, date_to: dt.date) -> Iterator[AccrualLine]:
    """Normalised lines of every accrual in the period, day by day, as the adapter should produce them."""
    for day in world.days(date_from, date_to):
        yield from accrual_lines(world.day_table(day), world.salt)
