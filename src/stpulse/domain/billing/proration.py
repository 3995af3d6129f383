"""Upgrade proration: what switching to a dearer tariff costs for the days already paid.

Rule (chosen so end dates never move back): the tariff changes at once and the end date stays. For each
remaining *paid* segment the seller pays the difference between the new and the current tariff's price
for that segment's billing period, pro rata by the remaining time (to the microsecond), summed and rounded
once, half-up, to the kopeck. The unused part of the old tariff is thus a credit converted into a price
discount on the new one. Credit is taken at the current tariff's list period price (promo discounts of
the original purchase are not clawed back). Trial and granted days switch for free.
A cheaper tariff is not prorated: it starts with the next paid period (no money is returned).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from fractions import Fraction

import msgspec

from stpulse.domain.billing.subscription import Subscription, SubscriptionStatus
from stpulse.domain.billing.tariffs import Tariff
from stpulse.domain.billing.timeline import EntryKind
from stpulse.domain.kernel.errors import Conflict, NotFound

_MICRO = dt.timedelta(microseconds=1)


class UpgradeQuote(msgspec.Struct, frozen=True, kw_only=True):
    tariff_code: str
    price: int  # kopecks to pay now
    remaining_days: int  # whole days left, rounded up, for display
    ends_at: dt.datetime


def round_half_up(value: Fraction) -> int:
    return int((value * 2 + 1) // 2)


def quote_upgrade(
    subscription: Subscription, tariffs: Mapping[str, Tariff], new_tariff: Tariff, now: dt.datetime
) -> UpgradeQuote:
    if not subscription.has_access(now) or subscription.status_at(now) is SubscriptionStatus.PAST_DUE:
        raise Conflict("Сменить тариф можно только при действующей подписке — оформите новую оплату")
    remaining = [s for s in subscription.timeline() if s.end > now]
    if all(s.tariff_code == new_tariff.code for s in remaining):
        raise Conflict("Этот тариф уже подключён")
    total = Fraction(0)
    for seg in remaining:
        if seg.source is not EntryKind.PAYMENT or seg.tariff_code == new_tariff.code:
            continue
        current = tariffs.get(seg.tariff_code)
        if current is None:
            raise NotFound(f"Тариф «{seg.tariff_code}» не найден")
        share = Fraction((seg.end - max(seg.start, now)) // _MICRO, (seg.end - seg.start) // _MICRO)
        total += (new_tariff.price_for_period(seg.months) - current.price_for_period(seg.months)) * share
    if total < 0:
        raise Conflict("Переход на более дешёвый тариф начнётся со следующего оплаченного периода")
    ends_at = remaining[-1].end
    days = -(-(ends_at - now) // dt.timedelta(days=1))
    return UpgradeQuote(
        tariff_code=new_tariff.code, price=round_half_up(total), remaining_days=days, ends_at=ends_at
    )
