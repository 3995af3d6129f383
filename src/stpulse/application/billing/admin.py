"""The admin side of billing: a user's subscription and payments, extend / change / cancel, refunds.

Every action needs a reason and is written to the audit log (who, when, why) in the same transaction.
"""

from __future__ import annotations

import uuid

import msgspec

from stpulse.application.accounts.admin_users import require_admin
from stpulse.application.billing.common import (
    catalog,
    config,
    gateway,
    shown_status,
    shown_tariff_code,
    subscription_of,
)
from stpulse.application.billing.deps import BillingDeps, BillingUnitOfWork
from stpulse.application.billing.events import account_of
from stpulse.application.billing.ports import CreateRefund
from stpulse.application.billing.records import (
    InvoiceRecord,
    PaymentRecord,
    PaymentState,
)
from stpulse.domain.accounts.users import User
from stpulse.domain.billing import STATUS_TITLES, Subscription, SubscriptionStatus, Tariff, special_tariff
from stpulse.domain.kernel.errors import Conflict, NotFound, ValidationError


class AdminAction(msgspec.Struct, frozen=True, kw_only=True):
    reason: str
    days: int = 0
    tariff_code: str = ""

    def checked_reason(self) -> str:
        if not self.reason.strip():
            raise ValidationError({"reason": "Укажите причину"})
        return self.reason.strip()[:500]


class UserBilling(msgspec.Struct, frozen=True, kw_only=True):
    user: User
    subscription: Subscription | None
    status: SubscriptionStatus
    tariff: Tariff | None
    tariffs: list[Tariff]
    payments: list[PaymentRecord]
    invoices: list[InvoiceRecord]

    @property
    def status_title(self) -> str:
        return STATUS_TITLES[self.status]


async def user_billing(deps: BillingDeps, admin: User, user_id: uuid.UUID) -> UserBilling:
    require_admin(admin)
    now = deps.clock.now()
    async with deps.uow() as raw:
        uow = raw
        user = await uow.users.get(user_id)
        if user is None:
            raise NotFound("Пользователь не найден")
        tariffs, sub = await catalog(uow), await uow.subscriptions.get(user_id)
        payments, invoices = await uow.payments.for_user(user_id), await uow.invoices.for_user(user_id)
    return UserBilling(user=user, subscription=sub, status=shown_status(sub, now),
                       tariff=tariffs.get(shown_tariff_code(sub, now)) if sub else None,
                       tariffs=sorted((t for t in tariffs.values() if t.available_to(user_id)), key=lambda t: t.monthly_price),
                       payments=payments,
                       invoices=invoices)


async def subscriptions_for(deps: BillingDeps, admin: User, user_ids: list[uuid.UUID]) -> dict[uuid.UUID, Subscription]:
    require_admin(admin)
    async with deps.uow() as raw:
        return await raw.subscriptions.for_users(user_ids)


async def _existing_user(uow: BillingUnitOfWork, user_id: uuid.UUID) -> None:
    if await uow.users.get(user_id) is None:
        raise NotFound("Пользователь не найден")


async def extend(deps: BillingDeps, admin: User, user_id: uuid.UUID, action: AdminAction) -> Subscription:
    """Grant `days` of access (on the current tariff, or on `tariff_code`)."""
    require_admin(admin)
    reason, now = action.checked_reason(), deps.clock.now()
    async with deps.uow() as raw:
        uow = raw
        await _existing_user(uow, user_id)
        code = await _tariff_code(uow, action.tariff_code) if action.tariff_code else None
        sub = await subscription_of(uow, user_id, now, config(deps), for_update=True, tariff_code=code)
        sub = sub.admin_grant(days=action.days, reason=reason, now=now, tariff_code=code)
        await uow.subscriptions.save(sub)
        await uow.audit.record(admin.id, "subscription.extend", f"user:{user_id}",
                               f"+{action.days} дн. {code or ''}: {reason}"[:500], now)
        await raw.commit()
    return sub


async def _tariff_code(uow: BillingUnitOfWork, code: str) -> str:
    if code not in await catalog(uow):
        raise ValidationError({"tariff_code": "Выберите тариф из списка"})
    return code


async def change_tariff(deps: BillingDeps, admin: User, user_id: uuid.UUID, action: AdminAction) -> Subscription:
    """Switch every remaining day to another tariff at no charge; the end date stays."""
    require_admin(admin)
    reason, now = action.checked_reason(), deps.clock.now()
    async with deps.uow() as raw:
        uow = raw
        code = await _tariff_code(uow, action.tariff_code)
        sub = await uow.subscriptions.get(user_id, for_update=True)
        if sub is None or not sub.has_access(now):
            raise Conflict("У пользователя нет действующей подписки — продлите её с нужным тарифом")
        sub = sub.upgrade(payment_id=f"admin-{uuid.uuid4()}", tariff_code=code, paid_at=now, amount=0)
        await uow.subscriptions.save(sub)
        await uow.audit.record(admin.id, "subscription.change_tariff", f"user:{user_id}", f"→ {code}: {reason}"[:500],
                               now)
        await raw.commit()
    return sub


async def cancel(deps: BillingDeps, admin: User, user_id: uuid.UUID, action: AdminAction) -> Subscription:
    require_admin(admin)
    reason, now = action.checked_reason(), deps.clock.now()
    async with deps.uow() as raw:
        uow = raw
        sub = await uow.subscriptions.get(user_id, for_update=True)
        if sub is None:
            raise NotFound("Подписки нет")
        sub = sub.admin_cancel(reason=reason, now=now)
        await uow.subscriptions.save(sub)
        await uow.audit.record(admin.id, "subscription.cancel", f"user:{user_id}", reason, now)
        await raw.commit()
    return sub


async def refund(deps: BillingDeps, admin: User, payment_id: uuid.UUID, action: AdminAction) -> PaymentRecord:
    """Return the whole payment through YooKassa and take back the time it bought."""
    require_admin(admin)
    reason, now = action.checked_reason(), deps.clock.now()
    async with deps.uow() as raw:
        payment = await raw.payments.get(payment_id)
    if payment is None:
        raise NotFound("Платёж не найден")
    if payment.state is not PaymentState.SUCCEEDED:
        raise Conflict("Вернуть можно только оплаченный платёж")
    if payment.gateway_id and payment.amount:
        await gateway(deps).create_refund(CreateRefund(payment_id=payment.gateway_id, amount=payment.amount,
                                                       idempotency_key=f"refund-{payment.id}", description=reason[:250]))
    async with deps.uow() as raw:
        uow = raw
        sub = await uow.subscriptions.get(payment.user_id, for_update=True)
        if sub is not None and payment.ledger_id in sub.applied_payment_ids:
            await uow.subscriptions.save(sub.refund(payment_id=payment.ledger_id, now=now))
        payment = msgspec.structs.replace(payment, state=PaymentState.REFUNDED, refunded_amount=payment.amount)
        await uow.payments.update(payment)
        await uow.audit.record(admin.id, "payment.refund", f"payment:{payment.id}",
                               f"{payment.amount / 100:.2f} ₽: {reason}"[:500], now,
                               account_id=await account_of(uow, payment.user_id))
        await raw.commit()
    return payment


class SpecialTariffForm(msgspec.Struct, frozen=True, kw_only=True):
    base_code: str
    monthly_price_rub: int
    max_shops: int
    reason: str


async def assign_special_tariff(deps: BillingDeps, admin: User, user_id: uuid.UUID, form: SpecialTariffForm) -> Tariff:
    """A personal tariff for one user: the base tariff's features and discounts with its own price and shops."""
    require_admin(admin)
    reason = AdminAction(reason=form.reason).checked_reason()
    async with deps.uow() as raw:
        uow = raw
        await _existing_user(uow, user_id)
        base = (await catalog(uow)).get(form.base_code)
        if base is None or base.is_special:
            raise ValidationError({"base_code": "Выберите тариф из списка"})
        limits = msgspec.structs.replace(base.limits, max_shops=form.max_shops)
        tariff = special_tariff(base, user_id=user_id, monthly_price=form.monthly_price_rub * 100, limits=limits)
        await uow.tariffs.save(tariff)
        await uow.audit.record(admin.id, "tariff.assign_special", f"user:{user_id}",
                               f"{tariff.code}: {form.monthly_price_rub} ₽/мес, магазинов {form.max_shops}: {reason}"[:500],
                               deps.clock.now())
        await raw.commit()
    return tariff
