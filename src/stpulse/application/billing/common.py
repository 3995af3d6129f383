"""Shared steps of the billing use cases: the tariff catalogue, receipts, accepting a paid period."""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec

from stpulse.application.billing.deps import BillingDeps, BillingUnitOfWork
from stpulse.application.billing.ports import PaymentGateway, Receipt, ReceiptItem
from stpulse.application.billing.records import (
    BillingConfig,
    PaymentRecord,
    PaymentState,
)
from stpulse.domain.billing import (
    EntryKind,
    PromoRejected,
    Subscription,
    SubscriptionStatus,
    Tariff,
    TariffLimits,
)
from stpulse.domain.kernel.errors import DomainError, NotFound

DEFAULT_TARIFFS = (
    Tariff(code="start", name="Старт", monthly_price=990_00,
           limits=TariffLimits(max_shops=1, max_skus=500, history_months=12, features=frozenset({"export"}))),
    Tariff(code="business", name="Бизнес", monthly_price=2490_00,
           limits=TariffLimits(max_shops=3, max_skus=3000, history_months=24,
                               features=frozenset({"export", "ads_report", "plan", "multi_user"}))),
    Tariff(code="pro", name="Про", monthly_price=5990_00,
           limits=TariffLimits(max_shops=10, max_skus=20000, history_months=36,
                               features=frozenset({"export", "ads_report", "plan", "multi_user", "api_access"}))),
)


def gateway(deps: BillingDeps) -> PaymentGateway:
    if deps.payments is None:
        raise DomainError("Оплата картой временно недоступна")
    return deps.payments


def config(deps: BillingDeps) -> BillingConfig:
    return deps.billing


async def catalog(uow: BillingUnitOfWork) -> dict[str, Tariff]:
    """Every tariff by code; an empty catalogue (a fresh or truncated database) gets the default set."""
    tariffs = await uow.tariffs.all()
    if not tariffs:
        for tariff in DEFAULT_TARIFFS:
            await uow.tariffs.save(tariff)
        tariffs = list(DEFAULT_TARIFFS)
    return {t.code: t for t in tariffs}


async def tariff_for(uow: BillingUnitOfWork, code: str, user_id: uuid.UUID) -> Tariff:
    tariff = (await catalog(uow)).get(code)
    if tariff is None or not tariff.available_to(user_id):
        raise NotFound("Такого тарифа нет")
    return tariff


def default_tariff_code(tariffs: dict[str, Tariff]) -> str:
    public = [t for t in tariffs.values() if not t.is_special and not t.archived]
    return min(public, key=lambda t: t.monthly_price).code if public else "start"


def trial_tariff_code(tariffs: dict[str, Tariff]) -> str:
    """A trial gives every feature: the richest public tariff."""
    public = [t for t in tariffs.values() if not t.is_special and not t.archived]
    return max(public, key=lambda t: t.monthly_price).code if public else "start"


def shown_tariff_code(sub: Subscription, now: dt.datetime) -> str:
    """The tariff a person sees: the paid one once a paid period is queued behind the trial."""
    if shown_status(sub, now) is SubscriptionStatus.ACTIVE and sub.status_at(now) is SubscriptionStatus.TRIAL:
        return sub.timeline()[-1].tariff_code
    return sub.tariff_at(now)


async def subscription_of(uow: BillingUnitOfWork, user_id: uuid.UUID, now: dt.datetime, cfg: BillingConfig,
                          *, for_update: bool = False, tariff_code: str | None = None) -> Subscription:
    found = await uow.subscriptions.get(user_id, for_update=for_update)
    if found is not None:
        return found
    code = tariff_code or default_tariff_code(await catalog(uow))
    return Subscription.new(user_id=user_id, tariff_code=code, now=now, grace_days=cfg.grace_days)


def shown_status(sub: Subscription | None, now: dt.datetime) -> SubscriptionStatus:
    """The status a person sees. A paid period queued behind a running trial starts when the trial ends (no
    trial day is lost), but the seller is already a paying customer: shown as «Активна», not «Пробный период»."""
    if sub is None:
        return SubscriptionStatus.NONE
    status = sub.status_at(now)
    if status is SubscriptionStatus.TRIAL and any(e.kind is EntryKind.PAYMENT and e.months and e.counts
                                                  for e in sub.entries):
        return SubscriptionStatus.ACTIVE
    return status


def period_title(tariff: Tariff, months: int) -> str:
    return f"Подписка STPulse «{tariff.name}», {months} мес."


def receipt_for(email: str, tariff: Tariff, months: int, amount: int, cfg: BillingConfig) -> Receipt:
    """The 54-FZ receipt: one service line whose sum equals the payment (months 0: an upgrade)."""
    title = period_title(tariff, months) if months else f"Переход на тариф STPulse «{tariff.name}»"
    item = ReceiptItem(description=title[:128], price=amount, vat_rate=cfg.vat_rate)
    return Receipt(items=(item,), email=email, tax_system_code=cfg.tax_system_code)


def receipt_json(receipt: Receipt) -> str:
    return msgspec.json.encode(receipt).decode()


def receipt_of(payment: PaymentRecord) -> Receipt | None:
    return msgspec.json.decode(payment.receipt_json, type=Receipt) if payment.receipt_json else None


async def accept_payment(uow: BillingUnitOfWork, payment: PaymentRecord, *, paid_at: dt.datetime, now: dt.datetime,
                         cfg: BillingConfig, method_id: str | None = None,
                         method_title: str | None = None) -> PaymentRecord:
    """Extend the subscription by a succeeded payment (idempotent by its ledger id) and mark it paid.

    A payment with a promo code first reserves a use of it (PromoRejected when another payment took the last one:
    the caller rolls back and returns the money)."""
    if payment.promo_code and payment.state is PaymentState.PENDING:
        await reserve_promo_use(uow, payment, now)
    sub = await subscription_of(uow, payment.user_id, now, cfg, for_update=True, tariff_code=payment.tariff_code)
    if payment.months == 0:  # an upgrade: the remaining days switch tariff, the end date stays
        sub = sub.upgrade(payment_id=payment.ledger_id, tariff_code=payment.tariff_code, paid_at=paid_at,
                          amount=payment.amount)
    else:
        sub = sub.payment_succeeded(payment_id=payment.ledger_id, tariff_code=payment.tariff_code,
                                    months=payment.months, paid_at=paid_at, amount=payment.amount,
                                    extra_days=payment.extra_days)
    if payment.save_method and method_id:
        sub = sub.set_auto_renew(enabled=True, payment_method_id=method_id)
    await uow.subscriptions.save(sub.tick(now))
    if payment.state is PaymentState.SUCCEEDED:
        return payment
    paid = msgspec.structs.replace(payment, state=PaymentState.SUCCEEDED, paid_at=paid_at,
                                   method_title=method_title or payment.method_title)
    await uow.payments.update(paid)
    return paid


async def reserve_promo_use(uow: BillingUnitOfWork, payment: PaymentRecord, now: dt.datetime) -> None:
    code = payment.promo_code or ""
    stored = await uow.promos.get(code)
    if stored is None or not await uow.promos.reserve_use(stored.promo, payment.user_id, payment.id, now):
        raise PromoRejected("already_used", f"Промокод {code} уже использован: лимит использований исчерпан")
