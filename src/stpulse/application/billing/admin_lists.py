"""The admin's lists of every subscription and every payment: filtered by state, tariff and Moscow dates, a page
at a time, with totals over everything that matched."""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec

from stpulse.application.accounts.admin_users import require_admin
from stpulse.application.billing.common import catalog, shown_status, shown_tariff_code
from stpulse.application.billing.deps import BillingDeps, BillingUnitOfWork
from stpulse.application.billing.records import PaymentQuery, PaymentRecord, PaymentState, PaymentTotals
from stpulse.domain.accounts.users import User
from stpulse.domain.billing import Subscription, SubscriptionStatus, Tariff
from stpulse.domain.kernel.moscow import MSK

PAGE_SIZE = 50


class ListFilter(msgspec.Struct, frozen=True, kw_only=True):
    """What the admin asked for; an empty field does not filter. Dates are Moscow days, both inclusive."""

    state: str = ""
    tariff: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    page: int = 1

    def bounds(self) -> tuple[dt.datetime | None, dt.datetime | None]:
        since = dt.datetime.combine(self.date_from, dt.time(), MSK) if self.date_from else None
        until = dt.datetime.combine(self.date_to + dt.timedelta(days=1), dt.time(), MSK) if self.date_to else None
        return since, until


class PaymentLine(msgspec.Struct, frozen=True, kw_only=True):
    payment: PaymentRecord
    email: str


class PaymentList(msgspec.Struct, frozen=True, kw_only=True):
    lines: list[PaymentLine]
    totals: PaymentTotals
    page: int
    pages: int
    tariffs: dict[str, Tariff]


class SubscriptionLine(msgspec.Struct, frozen=True, kw_only=True):
    subscription: Subscription
    email: str
    status: SubscriptionStatus
    tariff_code: str


class SubscriptionTotals(msgspec.Struct, frozen=True, kw_only=True):
    count: int
    by_status: dict[SubscriptionStatus, int]
    monthly_revenue: int  # kopecks: the list price of the paying (active) subscriptions' tariffs per month


class SubscriptionList(msgspec.Struct, frozen=True, kw_only=True):
    lines: list[SubscriptionLine]
    totals: SubscriptionTotals
    page: int
    pages: int
    tariffs: dict[str, Tariff]


def _pages(total: int) -> int:
    return max(1, -(-total // PAGE_SIZE))


async def _emails(uow: BillingUnitOfWork, user_ids: list[uuid.UUID]) -> dict[uuid.UUID, str]:
    users = [await uow.users.get(u) for u in dict.fromkeys(user_ids)]
    return {u.id: u.email for u in users if u is not None}


async def list_payments(deps: BillingDeps, admin: User, wanted: ListFilter) -> PaymentList:
    require_admin(admin)
    since, until = wanted.bounds()
    state = PaymentState(wanted.state) if wanted.state in {s.value for s in PaymentState} else None
    query = PaymentQuery(state=state, tariff_code=wanted.tariff, since=since, until=until)
    page = max(wanted.page, 1)
    async with deps.uow() as uow:
        tariffs = await catalog(uow)
        items, totals = await uow.payments.search(query, (page - 1) * PAGE_SIZE, PAGE_SIZE)
        emails = await _emails(uow, [p.user_id for p in items])
    lines = [PaymentLine(payment=p, email=emails.get(p.user_id, "—")) for p in items]
    return PaymentList(lines=lines, totals=totals, page=page, pages=_pages(totals.count), tariffs=tariffs)


async def list_subscriptions(deps: BillingDeps, admin: User, wanted: ListFilter) -> SubscriptionList:
    """Every subscription with the status a person sees now (it depends on the clock, so it is folded here)."""
    require_admin(admin)
    now, (since, until) = deps.clock.now(), wanted.bounds()
    async with deps.uow() as uow:
        tariffs = await catalog(uow)
        lines = [SubscriptionLine(subscription=s, email="", status=shown_status(s, now),
                                  tariff_code=shown_tariff_code(s, now)) for s in await uow.subscriptions.all()]
        lines = [ln for ln in lines if _wanted(ln, wanted, since, until)]
        page = max(wanted.page, 1)
        shown = lines[(page - 1) * PAGE_SIZE:page * PAGE_SIZE]
        emails = await _emails(uow, [ln.subscription.user_id for ln in shown])
    shown = [msgspec.structs.replace(ln, email=emails.get(ln.subscription.user_id, "—")) for ln in shown]
    return SubscriptionList(lines=shown, totals=_subscription_totals(lines, tariffs), page=page,
                            pages=_pages(len(lines)), tariffs=tariffs)


def _wanted(line: SubscriptionLine, wanted: ListFilter, since: dt.datetime | None, until: dt.datetime | None) -> bool:
    started = line.subscription.created_at
    return ((not wanted.state or line.status.value == wanted.state)
            and (not wanted.tariff or line.tariff_code == wanted.tariff)
            and (since is None or started >= since) and (until is None or started < until))


def _subscription_totals(lines: list[SubscriptionLine], tariffs: dict[str, Tariff]) -> SubscriptionTotals:
    by_status = {status: sum(1 for ln in lines if ln.status is status) for status in SubscriptionStatus}
    revenue = sum(tariffs[ln.tariff_code].monthly_price for ln in lines
                  if ln.status is SubscriptionStatus.ACTIVE and ln.tariff_code in tariffs)
    return SubscriptionTotals(count=len(lines), by_status={s: n for s, n in by_status.items() if n},
                              monthly_revenue=revenue)
