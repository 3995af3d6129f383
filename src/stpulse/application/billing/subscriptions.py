"""The seller's side of billing: see the subscription, start the trial, price a period with a promo code, pay."""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec

from stpulse.application.accounts.actor import Actor
from stpulse.application.billing.common import (
    accept_payment,
    catalog,
    config,
    gateway,
    receipt_for,
    receipt_json,
    receipt_of,
    shown_status,
    shown_tariff_code,
    subscription_of,
    tariff_for,
    trial_tariff_code,
)
from stpulse.application.billing.deps import BillingDeps, BillingUnitOfWork
from stpulse.application.billing.ports import CreatePayment, PaymentStatus
from stpulse.application.billing.records import (
    InvoiceRecord,
    PaymentKind,
    PaymentRecord,
    PaymentState,
)
from stpulse.application.kernel.deps import new_id
from stpulse.domain.accounts.users import Permission
from stpulse.domain.billing import (
    STATUS_TITLES,
    PromoCode,
    PromoRejected,
    Subscription,
    SubscriptionStatus,
    Tariff,
    TrialRecord,
    UpgradeQuote,
    apply_promo,
    check_trial_eligibility,
    quote_upgrade,
)
from stpulse.domain.kernel.errors import NotFound, PermissionDenied


class Checkout(msgspec.Struct, frozen=True, kw_only=True):
    tariff_code: str
    months: int = 1
    promo_code: str = ""
    auto_renew: bool = False


class Quote(msgspec.Struct, frozen=True, kw_only=True):
    tariff: Tariff
    months: int
    list_price: int
    discount: int
    price: int
    extra_days: int = 0
    promo_code: str | None = None


class Overview(msgspec.Struct, frozen=True, kw_only=True):
    subscription: Subscription | None
    status: SubscriptionStatus
    tariff: Tariff | None
    tariffs: list[Tariff]
    payments: list[PaymentRecord]
    invoices: list[InvoiceRecord]
    trial_available: bool
    now: dt.datetime

    @property
    def status_title(self) -> str:
        return STATUS_TITLES[self.status]


def subscriber(actor: Actor) -> uuid.UUID:
    """The account's owner holds the subscription; members with the billing right manage it."""
    if not actor.membership.can(Permission.BILLING):
        raise PermissionDenied("Оплатой управляет владелец аккаунта")
    return actor.account.owner_id


async def overview(deps: BillingDeps, actor: Actor) -> Overview:
    user_id, now = actor.account.owner_id, deps.clock.now()
    async with deps.uow() as raw:
        uow = raw
        tariffs = await catalog(uow)
        sub = await uow.subscriptions.get(user_id)
        trial_ok = sub is None or not sub.entries
        trial_ok = trial_ok and not await uow.trials.matching(user_id, await _client_ids(uow, actor.account_id))
        payments, invoices = await uow.payments.for_user(user_id), await uow.invoices.for_user(user_id)
        await raw.commit()  # keeps a seeded default catalogue
    status = shown_status(sub, now)
    current = tariffs.get(shown_tariff_code(sub, now)) if sub else None
    offered = sorted((t for t in tariffs.values() if t.available_to(user_id)), key=lambda t: t.monthly_price)
    return Overview(subscription=sub, status=status, tariff=current, tariffs=offered, payments=payments,
                    invoices=invoices, trial_available=trial_ok, now=now)


async def _client_ids(uow: BillingUnitOfWork, account_id: uuid.UUID) -> frozenset[str]:
    return frozenset(s.client_id for s in await uow.shops.for_account(account_id))


async def start_trial(deps: BillingDeps, actor: Actor, tariff_code: str | None = None) -> Subscription:
    """Once per user and once per Ozon Client-Id of the account's shops (whoever used it)."""
    user_id, now, cfg = subscriber(actor), deps.clock.now(), config(deps)
    async with deps.uow() as raw:
        uow = raw
        clients = await _client_ids(uow, actor.account_id)
        check_trial_eligibility(user_id, clients, await uow.trials.matching(user_id, clients))
        code = (await tariff_for(uow, tariff_code, user_id)).code if tariff_code else None
        sub = await subscription_of(uow, user_id, now, cfg, for_update=True,
                                    tariff_code=code or trial_tariff_code(await catalog(uow)))
        sub = sub.start_trial(now=now, days=cfg.trial_days)
        await uow.subscriptions.save(sub)
        await uow.trials.add(TrialRecord(user_id=user_id, client_ids=clients, started_at=now))
        await raw.commit()
    return sub


async def _quote(uow: BillingUnitOfWork, user_id: uuid.UUID, cmd: Checkout, now: dt.datetime) -> Quote:
    tariff = await tariff_for(uow, cmd.tariff_code, user_id)
    price = tariff.price_for_period(cmd.months)
    code = PromoCode.normalise(cmd.promo_code)
    if not code:
        return Quote(tariff=tariff, months=cmd.months, list_price=price, discount=0, price=price)
    stored = await uow.promos.get(code)
    if stored is None or not stored.active:
        raise PromoRejected("unknown", f"Промокод {code} не найден")
    result = apply_promo(stored.promo, tariff, cmd.months, await uow.promos.uses(code, user_id),
                         await uow.promos.uses(code), now)
    return Quote(tariff=tariff, months=cmd.months, list_price=result.list_price, discount=result.discount,
                 price=result.price, extra_days=result.extra_days, promo_code=code)


async def quote(deps: BillingDeps, actor: Actor, cmd: Checkout) -> Quote:
    async with deps.uow() as raw:
        return await _quote(raw, actor.account.owner_id, cmd, deps.clock.now())


async def checkout(deps: BillingDeps, actor: Actor, cmd: Checkout) -> PaymentRecord:
    """Open a payment for the period. A period the promo makes free is granted at once."""
    user_id, now, cfg = subscriber(actor), deps.clock.now(), config(deps)
    async with deps.uow() as raw:
        uow = raw
        q = await _quote(uow, user_id, cmd, now)
        payment = PaymentRecord(
            id=new_id(), user_id=user_id, kind=PaymentKind.CARD if q.price else PaymentKind.FREE,
            tariff_code=q.tariff.code, months=q.months, amount=q.price, list_price=q.list_price,
            promo_code=q.promo_code, extra_days=q.extra_days, idempotency_key=str(uuid.uuid4()), created_at=now,
            save_method=cmd.auto_renew,
            receipt_json=receipt_json(receipt_for(actor.user.email, q.tariff, q.months, q.price, cfg)) if q.price else "")
        await uow.payments.add(payment)
        if not q.price:
            payment = await accept_payment(uow, payment, paid_at=now, now=now, cfg=cfg)
        await raw.commit()
    return payment if not q.price else await _open_at_gateway(deps, payment)


async def upgrade_quote(deps: BillingDeps, actor: Actor, tariff_code: str) -> UpgradeQuote:
    """What switching the remaining paid days to a dearer tariff costs now (the end date stays)."""
    user_id, now = actor.account.owner_id, deps.clock.now()
    async with deps.uow() as raw:
        uow = raw
        tariffs, sub = await catalog(uow), await uow.subscriptions.get(user_id)
        tariff = await tariff_for(uow, tariff_code, user_id)
    if sub is None:
        raise NotFound("Подписки ещё нет — выберите тариф и период")
    return quote_upgrade(sub, tariffs, tariff, now)


async def checkout_upgrade(deps: BillingDeps, actor: Actor, tariff_code: str) -> PaymentRecord:
    user_id, now, cfg = subscriber(actor), deps.clock.now(), config(deps)
    q = await upgrade_quote(deps, actor, tariff_code)
    async with deps.uow() as raw:
        uow = raw
        tariff = await tariff_for(uow, tariff_code, user_id)
        payment = PaymentRecord(
            id=new_id(), user_id=user_id, kind=PaymentKind.CARD if q.price else PaymentKind.FREE,
            tariff_code=tariff.code, months=0, amount=q.price, list_price=q.price,
            idempotency_key=str(uuid.uuid4()), created_at=now,
            receipt_json=receipt_json(receipt_for(actor.user.email, tariff, 0, q.price, cfg)) if q.price else "")
        await uow.payments.add(payment)
        if not q.price:
            payment = await accept_payment(uow, payment, paid_at=now, now=now, cfg=cfg)
        await raw.commit()
    return payment if not q.price else await _open_at_gateway(deps, payment)


async def _open_at_gateway(deps: BillingDeps, payment: PaymentRecord) -> PaymentRecord:
    receipt = receipt_of(payment)
    if receipt is None:
        raise NotFound("Чек платежа не найден")
    info = await gateway(deps).create_payment(CreatePayment(
        amount=payment.amount, description=receipt.items[0].description, receipt=receipt,
        return_url=f"{deps.config.base_url}/app/billing/return/{payment.id}", idempotency_key=payment.idempotency_key,
        metadata={"payment_id": str(payment.id), "user_id": str(payment.user_id)},
        save_payment_method=payment.save_method))
    opened = msgspec.structs.replace(payment, gateway_id=info.id, confirmation_url=info.confirmation_url)
    async with deps.uow() as raw:
        await raw.payments.update(opened)
        await raw.commit()
    return opened


async def payment_of(deps: BillingDeps, actor: Actor, payment_id: uuid.UUID) -> PaymentRecord:
    async with deps.uow() as raw:
        payment = await raw.payments.get(payment_id)
    if payment is None or payment.user_id != actor.account.owner_id:
        raise NotFound("Платёж не найден")
    return payment


async def returned(deps: BillingDeps, actor: Actor, payment_id: uuid.UUID) -> PaymentRecord:
    """The buyer came back from YooKassa: ask YooKassa (never the URL) what happened to the payment."""
    from stpulse.application.billing.payment_events import sync_payment

    payment = await payment_of(deps, actor, payment_id)
    if payment.state is PaymentState.PENDING and payment.gateway_id:
        info = await gateway(deps).get_payment(payment.gateway_id)
        if info.status in (PaymentStatus.SUCCEEDED, PaymentStatus.CANCELED):
            payment = await sync_payment(deps, payment, info) or payment
    return payment


async def set_auto_renew(deps: BillingDeps, actor: Actor, enabled: bool) -> Subscription:
    user_id = subscriber(actor)
    async with deps.uow() as raw:
        uow = raw
        sub = await uow.subscriptions.get(user_id, for_update=True)
        if sub is None:
            raise NotFound("Подписки ещё нет")
        sub = sub.set_auto_renew(enabled=enabled)
        await uow.subscriptions.save(sub)
        await raw.commit()
    return sub
