"""Billing e-mail notices: payment succeeded or failed, trial ends in 3 days, subscription expired, invoice issued.

Never sent from a request: a payment or an invoice writes a `billing_notice` job into the outbox in its own
transaction (`billing/events.py`), the worker runs `send_billing_notice`; the trial and expiry notices are found
by the scheduled billing job (`notify_endings`). Each notice has a key naming its cause, claimed in the sent log
in the transaction that sends it, so a redelivered job or a job run twice sends one e-mail."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable
from typing import Any, Protocol

from stpulse.application.billing.deps import BillingUnitOfWork
from stpulse.application.billing.records import BillingConfig, PaymentKind
from stpulse.application.kernel.deps import AppConfig
from stpulse.application.kernel.ports import Clock, Mailer, MailTemplates, NoticeLog
from stpulse.domain.billing import SubscriptionStatus
from stpulse.domain.billing.subscription import Subscription

log = logging.getLogger(__name__)

PAYMENT_SUCCEEDED, PAYMENT_FAILED = "payment_succeeded", "payment_failed"
TRIAL_ENDING, SUBSCRIPTION_EXPIRED, INVOICE_ISSUED = "trial_ending", "subscription_expired", "invoice_issued"
TRIAL_WARNING = dt.timedelta(days=3)
EXPIRED_LOOKBACK = dt.timedelta(days=7)  # an expiry older than this is not announced any more (first deployment)


class NoticesUnitOfWork(BillingUnitOfWork, Protocol):
    @property
    def notices(self) -> NoticeLog: ...


class NoticesDeps(Protocol):
    @property
    def uow(self) -> Callable[[], NoticesUnitOfWork]: ...
    @property
    def clock(self) -> Clock: ...
    @property
    def config(self) -> AppConfig: ...
    @property
    def billing(self) -> BillingConfig: ...
    @property
    def mailer(self) -> Mailer: ...
    @property
    def mail_templates(self) -> MailTemplates: ...


async def _tariff_name(uow: NoticesUnitOfWork, code: str) -> str:
    tariff = await uow.tariffs.get(code)
    return tariff.name if tariff else code


async def _payment_context(uow: NoticesUnitOfWork, notice: str, payment_id: uuid.UUID,
                           base: str) -> tuple[str, dict[str, Any]] | None:
    payment = await uow.payments.get(payment_id)
    user = await uow.users.get(payment.user_id) if payment else None
    if payment is None or user is None:
        return None
    sub = await uow.subscriptions.get(payment.user_id)
    ctx = {"name": user.full_name, "amount": payment.amount, "tariff": await _tariff_name(uow, payment.tariff_code),
           "months": payment.months, "url": f"{base}/app/billing", "renewal": payment.kind is PaymentKind.RENEWAL,
           "paid_until": sub.ends_at if sub and notice == PAYMENT_SUCCEEDED else None,
           "ends_at": (sub.grace_ends_at() or sub.ends_at) if sub and notice == PAYMENT_FAILED else None}
    return user.email, ctx


async def _invoice_context(uow: NoticesUnitOfWork, invoice_id: uuid.UUID, base: str,
                           cfg: BillingConfig) -> tuple[str, dict[str, Any]] | None:
    invoice = await uow.invoices.get(invoice_id)
    user = await uow.users.get(invoice.user_id) if invoice else None
    if invoice is None or user is None:
        return None
    return user.email, {"name": user.full_name, "number": invoice.number, "amount": invoice.amount,
                        "buyer": invoice.buyer.name, "tariff": await _tariff_name(uow, invoice.tariff_code),
                        "months": invoice.months, "pay_until": invoice.created_at + dt.timedelta(days=cfg.invoice_days),
                        "url": f"{base}/app/billing/invoices/{invoice.id}/pdf"}


async def _send(deps: NoticesDeps, uow: NoticesUnitOfWork, key: str, name: str, to: str,
                context: dict[str, Any]) -> bool:
    if not await uow.notices.claim(key, deps.clock.now()):
        return False
    mail = deps.mail_templates.render(name, context)
    await deps.mailer.send(to, mail.subject, mail.text, mail.html)  # fails: rolled back, the job is retried
    await uow.commit()
    return True


async def send_billing_notice(deps: NoticesDeps, notice: str, subject_id: str) -> bool:
    """The `billing_notice` job: one e-mail about a payment or an invoice; False when there is nothing to send."""
    base = deps.config.base_url
    async with deps.uow() as uow:
        if notice in (PAYMENT_SUCCEEDED, PAYMENT_FAILED):
            found = await _payment_context(uow, notice, uuid.UUID(subject_id), base)
        elif notice == INVOICE_ISSUED:
            found = await _invoice_context(uow, uuid.UUID(subject_id), base, deps.billing)
        else:
            log.warning("billing_notice.unknown: %s", notice)
            return False
        if found is None:
            return False
        to, context = found
        return await _send(deps, uow, f"{notice}:{subject_id}", notice, to, context)


def _ending_notice(sub: Subscription, now: dt.datetime) -> tuple[str, dt.datetime] | None:
    """(notice, the end it is about) for a subscription worth telling about now, else None."""
    ends_at, status = sub.ends_at, sub.status_at(now)
    if ends_at is None:
        return None
    if status is SubscriptionStatus.TRIAL and not sub.has_paid and now < ends_at <= now + TRIAL_WARNING:
        return TRIAL_ENDING, ends_at
    if status is SubscriptionStatus.EXPIRED and now - (sub.grace_ends_at() or ends_at) <= EXPIRED_LOOKBACK:
        return SUBSCRIPTION_EXPIRED, ends_at
    return None


async def notify_endings(deps: NoticesDeps) -> int:
    """Trials ending within 3 days and subscriptions that expired: one e-mail per user and end date."""
    now, base, sent = deps.clock.now(), deps.config.base_url, 0
    async with deps.uow() as uow:
        subs = await uow.subscriptions.all()
    for sub in subs:
        due = _ending_notice(sub, now)
        if due is None:
            continue
        notice, ends_at = due
        key = f"{notice}:{sub.user_id}:{ends_at:%Y%m%d%H%M}"
        async with deps.uow() as uow:
            user = await uow.users.get(sub.user_id)
            if user is None or await uow.notices.seen(key):
                continue
            days_left = max(1, -(-int((ends_at - now).total_seconds()) // 86400))
            context = {"name": user.full_name, "ends_at": ends_at, "days_left": days_left, "url": f"{base}/app/billing"}
            sent += await _send(deps, uow, key, notice, user.email, context)
    return sent
