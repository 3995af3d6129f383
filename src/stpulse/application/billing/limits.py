"""Tariff limits, for the other contexts to call: may this account connect a shop, sync, edit?

The account's owner holds the subscription. Without access (expired, or never subscribed) nothing syncs
and nothing new can be added, but every stored figure stays and reports are read-only.

Use from the shop-connect flow, inside its unit of work, before adding the shop:
    await check_shop_limit(uow, account_id, now, client_id)
and from the sync before fetching anything:
    if not await subscription_allows_sync(uow, account_id, now): skip
"""

from __future__ import annotations

import datetime as dt
import uuid

from stpulse.application.billing.common import catalog, trial_tariff_code
from stpulse.application.billing.deps import BillingUnitOfWork
from stpulse.application.billing.policy import READ_ONLY, TariffRequired, entitlement
from stpulse.domain.billing import (
    DEFAULT_TRIAL_DAYS,
    Subscription,
    SubscriptionStatus,
    Tariff,
    TrialRecord,
    check_trial_eligibility,
)


class ShopLimitReached(TariffRequired):
    """Refused by the tariff (max shops, or no access); `action_url` leads to the tariffs page."""


async def access_of(uow: BillingUnitOfWork, account_id: uuid.UUID, now: dt.datetime) -> tuple[Subscription | None, Tariff | None]:
    sub = await uow.subscriptions.of_account(account_id)
    if sub is None or not sub.has_access(now):
        return sub, None
    return sub, (await catalog(uow)).get(sub.tariff_at(now))


async def subscription_allows_sync(uow: BillingUnitOfWork, account_id: uuid.UUID, now: dt.datetime) -> bool:
    """False once the subscription has ended (the policy's read-only): the sync pauses, the data stays."""
    return (await entitlement(uow, account_id, now)).writable


async def check_shop_limit(uow: BillingUnitOfWork, account_id: uuid.UUID, now: dt.datetime, client_id: str = "") -> None:
    """Raise `ShopLimitReached` when one more shop is over the tariff (or there is no access at all).

    The first shop of an owner who never subscribed starts the trial. During a trial the shop's Ozon Client-Id
    must not have had a trial elsewhere; it is remembered so it cannot start another one later. A period paid
    during the trial (queued after it) lifts that check: the seller is already a paying customer.
    """
    sub, tariff = await access_of(uow, account_id, now)
    if sub is None or not sub.entries:
        sub, tariff = await _auto_trial(uow, account_id, now, client_id)
    if sub is None or tariff is None:
        raise ShopLimitReached(READ_ONLY if sub is not None and sub.entries
                               else "Чтобы подключить магазин, начните пробный период или оплатите тариф")
    count = len(await uow.shops.for_account(account_id))
    if count >= tariff.limits.max_shops:
        raise ShopLimitReached(
            f"Тариф «{tariff.name}» позволяет подключить магазинов: {tariff.limits.max_shops}. "
            "Чтобы подключить ещё один, перейдите на тариф побольше")
    if client_id and sub.status_at(now) is SubscriptionStatus.TRIAL and not sub.has_paid:
        trials = uow.trials
        others = [r for r in await trials.matching(sub.user_id, frozenset({client_id})) if r.user_id != sub.user_id]
        check_trial_eligibility(sub.user_id, {client_id}, others)
        await trials.add_client_id(sub.user_id, client_id.strip())


async def _auto_trial(uow: BillingUnitOfWork, account_id: uuid.UUID, now: dt.datetime,
                      client_id: str) -> tuple[Subscription | None, Tariff | None]:
    """The first shop of a never-subscribed owner starts the trial (if the user and Client-Id are eligible)."""
    account = await uow.accounts.get(account_id)
    if account is None:
        return None, None
    buow = uow
    clients = frozenset({client_id.strip()} if client_id.strip() else set())
    check_trial_eligibility(account.owner_id, clients, await buow.trials.matching(account.owner_id, clients))
    tariffs = await catalog(buow)
    sub = await buow.subscriptions.get(account.owner_id, for_update=True)
    sub = sub or Subscription.new(user_id=account.owner_id, tariff_code=trial_tariff_code(tariffs), now=now)
    sub = sub.start_trial(now=now, days=DEFAULT_TRIAL_DAYS)
    await buow.subscriptions.save(sub)
    await buow.trials.add(TrialRecord(user_id=account.owner_id, client_ids=clients, started_at=now))
    return sub, tariffs.get(sub.tariff_at(now))
