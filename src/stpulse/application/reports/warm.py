"""After a sync writes a shop's months, the tables its account's users open are built before anyone asks.

The worker calls `warm_reports` for the synced shop (after its ads import, which follows the Seller sync): ОПиУ,
Юнитка, ДДС, Операционка, Возвраты and — when the tariff sells it — Реклама of this month, last month and the last
twelve (and Операционка by month of the last twelve, the dashboard's chart),
for every member who sees the shop, with the cabinet's default selection (all the member's shops, allocation by
revenue). They go through `build_report` itself, so they land under the very key a request computes, in this
process's cache and in the store every web process reads. Members with the same shop restriction share the tables.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from stpulse.application.accounts.actor import Actor
from stpulse.application.billing.policy import entitlement
from stpulse.application.reports.deps import ReportsDeps
from stpulse.application.reports.views import ReportRequest, build_report, default_period
from stpulse.domain.accounts.users import Permission
from stpulse.domain.kernel.period import month_text, parse_month
from stpulse.domain.reports.registry import report_kind

WARM_KINDS = ("pnl", "unit", "cash", "ops", "returns", "ads")  # ДДС: its Ozon balances change with every sync
# and for the twelve months: Операционка by month, the orders of the dashboard's chart «Выручка, прибыль и заказы»
WARM_YEAR_OPTIONS = (("ops", (("view", "month"),)),)


def warm_periods(deps: ReportsDeps) -> tuple[tuple[str, str], ...]:
    """This month, last month and the last twelve (the cabinet's default), in Moscow time."""
    this, _ = default_period(deps, 1)
    last = month_text(parse_month(this) - 1)
    return (this, this), (last, last), default_period(deps)


async def _readers(deps: ReportsDeps, shop_id: uuid.UUID) -> list[Actor]:
    """One member per distinct shop restriction among those who may view the shop's reports."""
    async with deps.uow() as uow:
        shop = await uow.shops.by_id(shop_id)
        account = await uow.accounts.get(shop.account_id) if shop is not None else None
        if shop is None or account is None:
            return []
        readers: dict[frozenset[uuid.UUID] | None, Actor] = {}
        for membership in await uow.memberships.for_account(account.id):
            if membership.shop_ids in readers or not membership.can(Permission.VIEW):
                continue
            user = await uow.users.get(membership.user_id) if membership.sees_shop(shop_id) else None
            if user is not None:
                readers[membership.shop_ids] = Actor(user=user, account=account, membership=membership)
    return list(readers.values())


async def warm_kinds(deps: ReportsDeps, account_id: uuid.UUID) -> list[str]:
    """The warmed reports the account's tariff opens (a report sold with a feature it lacks is never asked)."""
    async with deps.uow() as uow:
        tariff = (await entitlement(uow, account_id, deps.clock.now())).tariff
    return [code for code in WARM_KINDS if not (feature := report_kind(code).feature)
            or (tariff is not None and tariff.limits.allows(feature))]


def warm_requests(deps: ReportsDeps, kinds: Sequence[str] = WARM_KINDS) -> list[tuple[str, ReportRequest]]:
    """The tables warmed for each reader, as (report code, request with the cabinet's default selection)."""
    out = [(code, ReportRequest(month_from=month_from, month_to=month_to))
           for month_from, month_to in warm_periods(deps) for code in kinds]
    month_from, month_to = default_period(deps)
    return out + [(code, ReportRequest(month_from=month_from, month_to=month_to, options=options))
                  for code, options in WARM_YEAR_OPTIONS if code in kinds]


async def warm_reports(deps: ReportsDeps, shop_id: uuid.UUID) -> int:
    """Build (or find already built) the tables the shop's readers open first; returns how many were asked."""
    asked = 0
    readers = await _readers(deps, shop_id)
    kinds = await warm_kinds(deps, readers[0].account_id) if readers else []
    for actor in readers:
        for code, req in warm_requests(deps, kinds):
            await build_report(deps, actor, code, req)
            asked += 1
    await deps.report_cache.flushed()  # the shared copies are the point: stored before the job ends
    return asked
