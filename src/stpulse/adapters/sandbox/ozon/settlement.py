"""When Ozon documents and pays what it accrued: the realization report's dating and the payout schedule.

Deterministic rules (from the seed and the dates only), so the reconciliation has real differences to explain:
- Realization: a delivery accrued on the 1st of a month was delivered on the last day of the month before and is
  in that month's realization report; a return accrued on the 1st or 2nd of a month was registered in the month
  before (returns reach the accruals a month later than the realization report). Services and compensations are
  accruals only: the realization report lists goods.
- Payouts: the accruals of each half-month period (1–15, 16–end) are due `PAYOUT_DELAY_DAYS` after it ends. In
  some 16–end periods Ozon holds back `HOLD_PERCENT` of a positive total and releases it with the next period's
  payout; some 1–15 payouts are split, the second part paid `SPLIT_LATER_DAYS` after the first (across the month
  end). `invoice(p)` = the period's accruals − its hold + the hold released into it.
So every period's payments settle within `SETTLED_AFTER_DAYS` of its end, and a balance depends on a few periods.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from stpulse.adapters.sandbox.ozon.world import SellerWorld

PAYOUT_DELAY_DAYS = 5
SPLIT_LATER_DAYS = 12
SPLIT_FIRST_PERCENT = 60
HOLD_PERCENT = 10
SETTLED_AFTER_DAYS = PAYOUT_DELAY_DAYS + SPLIT_LATER_DAYS


@dataclass(frozen=True)
class Payment:
    day: dt.date
    amount: int  # kopecks paid to the seller (Ozon's answers show it negative)
    period: int  # index of the half-month period it pays (see `period_index`)
    kind: str  # regular | split_first | split_second


def realization_ready(world: SellerWorld, last_day: dt.date) -> bool:
    """A month's realization report is published once the returns accrued on the 2nd of the next month are in."""
    return last_day + dt.timedelta(days=2) <= world.today


def half_month(day: dt.date) -> tuple[dt.date, dt.date]:
    if day.day <= 15:
        return day.replace(day=1), day.replace(day=15)
    return day.replace(day=16), day.replace(day=calendar.monthrange(day.year, day.month)[1])


def period_index(day: dt.date) -> int:
    return (day.year * 12 + day.month - 1) * 2 + (0 if day.day <= 15 else 1)


def period_bounds(index: int) -> tuple[dt.date, dt.date]:
    month, half = divmod(index, 2)
    first = dt.date(month // 12, month % 12 + 1, 16 if half else 1)
    return half_month(first)


def period_id(index: int) -> int:
    """The period's id in Ozon's answers: its first day as YYYYMMDD."""
    return int(period_bounds(index)[0].strftime("%Y%m%d"))


def accrued(world: SellerWorld, start: dt.date, end: dt.date) -> int:
    return sum(_day_total(world, d) for d in world.days(start, end))


def _day_total(world: SellerWorld, day: dt.date) -> int:
    """The day's flows when the reports kept them (reports.day_flows), else the world's own day total."""
    kept = world.memo.get(("flows", day))
    return int(kept.total) if kept is not None else world.day_total(day)


def period_total(world: SellerWorld, index: int) -> int:
    return accrued(world, *period_bounds(index))


def _mix(world: SellerWorld, index: int, salt: int) -> int:
    return (world.seed * 7_919 + index * 104_729 + salt * 15_485_863) % 1_000_003


def hold(world: SellerWorld, index: int) -> int:
    """What Ozon holds back from the period's payout (16–end periods only, released with the next one)."""
    if index % 2 == 0 or _mix(world, index, 1) % 3:
        return 0
    total = period_total(world, index)
    return total * HOLD_PERCENT // 100 if total > 0 else 0


def invoice(world: SellerWorld, index: int) -> int:
    """«Сумма к выплате за период»: the accruals less the hold, plus the hold released from the period before."""
    return period_total(world, index) - hold(world, index) + hold(world, index - 1)


def is_split(world: SellerWorld, index: int) -> bool:
    return index % 2 == 0 and _mix(world, index, 2) % 4 == 1


def payments_of(world: SellerWorld, index: int) -> list[Payment]:
    """The payments of one period's invoice (before `today` only)."""
    due = period_bounds(index)[1] + dt.timedelta(days=PAYOUT_DELAY_DAYS)
    amount = invoice(world, index)
    if is_split(world, index):
        first = amount * SPLIT_FIRST_PERCENT // 100
        parts = [Payment(due, first, index, "split_first"),
                 Payment(due + dt.timedelta(days=SPLIT_LATER_DAYS), amount - first, index, "split_second")]
    else:
        parts = [Payment(due, amount, index, "regular")]
    return [p for p in parts if p.amount and world.start <= p.day <= world.today]


def payments(world: SellerWorld, date_from: dt.date, date_to: dt.date) -> list[Payment]:
    """Every payment dated in [date_from, date_to], by date."""
    first = period_index(date_from - dt.timedelta(days=SETTLED_AFTER_DAYS + 16))
    last = period_index(date_to)
    out = [p for i in range(first, last + 1) for p in payments_of(world, i) if date_from <= p.day <= date_to]
    return sorted(out, key=lambda p: (p.day, p.period, p.kind))


def opening_balance(world: SellerWorld, day: dt.date) -> int:
    """Ozon's balance at the start of `day`: the hold of the last settled period plus what later periods accrued
    before `day` less what was paid for them before `day` (accrued − paid telescopes over settled periods)."""
    settled = period_index(day - dt.timedelta(days=SETTLED_AFTER_DAYS + 1)) - 1
    while period_bounds(settled)[1] + dt.timedelta(days=SETTLED_AFTER_DAYS) >= day:
        settled -= 1
    balance = hold(world, settled)
    for index in range(settled + 1, period_index(day) + 1):
        start, end = period_bounds(index)
        balance += accrued(world, start, min(end, day - dt.timedelta(days=1)))
        balance -= sum(p.amount for p in payments_of(world, index) if p.day < day)
    return balance


def remember_day_totals(world: SellerWorld, totals: dict[dt.date, int]) -> None:
    """Day totals already summed elsewhere (a bench's own pass over the lines), so the payout arithmetic does not
    build every day table again."""
    from stpulse.adapters.sandbox.ozon.origin import day_index  # noqa: PLC0415

    world._day_totals.update({day_index(d): v for d, v in totals.items()})  # noqa: SLF001
