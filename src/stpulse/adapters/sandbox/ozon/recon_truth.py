"""The sandbox's own answer to «Сверка с Ozon»: per month, accruals ↔ realization ↔ payouts, each difference
with its reason (settlement.py's rules), in kopecks. Category amounts are what they add to «accrued − realized»
or «accrued − paid»; the codes are the report's (domain/reports/recon.py)."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from stpulse.adapters.sandbox.ozon.config import FaultConfig
from stpulse.adapters.sandbox.ozon.day_table import COMP_COMMISSION, COMP_SALE, COMP_SERVICE
from stpulse.adapters.sandbox.ozon.settlement import (
    hold,
    invoice,
    payments,
    period_bounds,
    period_index,
    realization_ready,
)
from stpulse.adapters.sandbox.ozon.world import SellerWorld
from stpulse.domain.ledger.default_mapping import DEFAULT_TYPE_ARTICLES
from stpulse.domain.reports import recon as r

_COMPENSATION_TYPES = np.array(sorted(t for t, a in DEFAULT_TYPE_ARTICLES.items() if a == "compensations"))


@dataclass(frozen=True)
class DaySums:
    total: int
    delivered: int  # sale lines > 0 with the commission lines < 0
    returned: int  # sale lines < 0 with the commission lines > 0
    compensations: int
    services: int  # every other service line
    sold: int = 0  # sale lines > 0 (the sale price: the УСН «доходы» base)
    unsold: int = 0  # sale lines < 0


@dataclass
class ReconMonth:
    month: dt.date
    accrued: int = 0
    realized: int | None = None  # None: the month's realization report is not published yet
    realized_sales: int | None = None  # its sales − returns at the sale price (the УСН «доходы» base)
    paid: int = 0
    categories: dict[str, int] = field(default_factory=dict)
    reasons: list[tuple[str, int, str]] = field(default_factory=list)  # (category, kopecks, why)


def day_sums(world: SellerWorld, day: dt.date) -> DaySums:
    key = ("recon_day", day)
    if key not in world.memo:
        ln = world.day_table(day).ln
        comp, amount = ln["comp"], ln["amount"]
        sale, fee = comp == COMP_SALE, comp == COMP_COMMISSION
        service = comp == COMP_SERVICE
        compensation = service & np.isin(ln["type_id"], _COMPENSATION_TYPES)
        world.memo[key] = DaySums(
            total=int(amount.sum()),
            delivered=int(amount[sale & (amount > 0)].sum() + amount[fee & (amount < 0)].sum()),
            returned=int(amount[sale & (amount < 0)].sum() + amount[fee & (amount > 0)].sum()),
            compensations=int(amount[compensation].sum()),
            services=int(amount[service & ~compensation].sum()),
            sold=int(amount[sale & (amount > 0)].sum()), unsold=int(amount[sale & (amount < 0)].sum()))
    return world.memo[key]


def _sum(world: SellerWorld, days: list[dt.date], attr: str) -> int:
    return sum(getattr(day_sums(world, d), attr) for d in days if world.in_history(d))


def recon_month(world: SellerWorld, month: dt.date, faults: FaultConfig | None = None) -> ReconMonth:
    first = month.replace(day=1)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    nxt = last + dt.timedelta(days=1)
    days = list(world.days(first, last))
    out = ReconMonth(month=first, accrued=_sum(world, days, "total"))
    late_delivered = _sum(world, [first], "delivered") - _sum(world, [nxt], "delivered")
    late_returned = (_sum(world, [first, first + dt.timedelta(days=1)], "returned")
                     - _sum(world, [nxt, nxt + dt.timedelta(days=1)], "returned"))
    if realization_ready(world, last):
        out.realized = (_sum(world, days, "delivered") + _sum(world, days, "returned")
                        - late_delivered - late_returned)
        early, early_next = [first, first + dt.timedelta(days=1)], [nxt, nxt + dt.timedelta(days=1)]
        out.realized_sales = (_sum(world, days, "sold") - _sum(world, [first], "sold") + _sum(world, [nxt], "sold")
                              + _sum(world, days, "unsold") - _sum(world, early, "unsold")
                              + _sum(world, early_next, "unsold"))
        out.categories.update({r.MONTH_END_DELIVERIES: late_delivered, r.RETURNS_LATER: late_returned,
                               r.SERVICES: _sum(world, days, "services"),
                               r.COMPENSATIONS: _sum(world, days, "compensations"), r.UNEXPLAINED_REALIZATION: 0})
        out.reasons += [(r.MONTH_END_DELIVERIES, _sum(world, [first], "delivered"),
                         "доставлено в последний день прошлого месяца, начислено 1-го"),
                        (r.MONTH_END_DELIVERIES, -_sum(world, [nxt], "delivered"),
                         "доставлено в последний день месяца, начислено 1-го числа следующего"),
                        (r.RETURNS_LATER, _sum(world, early, "returned"),
                         "возвраты прошлого месяца, начисленные 1–2-го"),
                        (r.RETURNS_LATER, -_sum(world, early_next, "returned"),
                         "возвраты месяца, начисленные 1–2-го числа следующего"),
                        (r.SERVICES, _sum(world, days, "services"), "услуги: только в начислениях"),
                        (r.COMPENSATIONS, _sum(world, days, "compensations"), "компенсации: только в начислениях")]
    _payouts(world, out, first, last, faults)
    return out


def _payouts(world: SellerWorld, out: ReconMonth, first: dt.date, last: dt.date, faults: FaultConfig | None) -> None:
    paid = payments(world, first, last)
    out.paid = sum(p.amount for p in paid)
    periods = [period_index(first), period_index(first) + 1]
    holds = sum(hold(world, q) for q in periods)
    releases = -sum(hold(world, q - 1) for q in periods)
    timing = sum(invoice(world, q) for q in periods) - out.paid
    unexplained = 0
    dropped = _dropped(world, faults)
    if dropped is not None and first <= dropped[0] <= last:
        out.paid -= dropped[1]
        unexplained = dropped[1]
    out.categories.update({r.HOLDS: holds, r.RELEASES: releases, r.PAYOUT_TIMING: timing,
                           r.UNEXPLAINED_PAYOUTS: unexplained})
    for q in periods:
        start, end = period_bounds(q)
        if hold(world, q):
            out.reasons.append((r.HOLDS, hold(world, q), f"удержано из выплаты за {start:%d.%m}–{end:%d.%m}"))
        if hold(world, q - 1):
            out.reasons.append((r.RELEASES, -hold(world, q - 1), f"удержанное раньше вошло в выплату за {start:%d.%m}"))
        later = invoice(world, q) - sum(p.amount for p in paid if p.period == q)
        if later:
            out.reasons.append((r.PAYOUT_TIMING, later,
                                f"к выплате за {start:%d.%m}–{end:%d.%m}, выплачено после конца месяца"))
    for p in paid:
        if p.period < periods[0]:
            out.reasons.append((r.PAYOUT_TIMING, -p.amount, f"{p.day:%d.%m}: выплата за прошлый месяц ({p.kind})"))


def _dropped(world: SellerWorld, faults: FaultConfig | None) -> tuple[dt.date, int] | None:
    if faults is None or faults.drop_payout_on is None:
        return None
    paid = payments(world, faults.drop_payout_on, faults.drop_payout_on)
    return (paid[0].day, paid[0].amount) if paid else None


def recon_truth(world: SellerWorld, first_month: dt.date, last_month: dt.date,
                faults: FaultConfig | None = None) -> dict[dt.date, ReconMonth]:
    out, month = {}, first_month.replace(day=1)
    while month <= last_month:
        out[month] = recon_month(world, month, faults)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return out
