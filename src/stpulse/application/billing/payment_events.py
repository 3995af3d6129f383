"""What YooKassa tells us: webhooks (trusted only after re-fetching the payment), auto-renewal, expiry.

A webhook is unauthenticated, so its body is never believed: the sender must be in the allow-list, and the
payment is fetched again by id; only YooKassa's own answer changes anything. Every notification is
written to `payment_webhooks` with its outcome, refused ones included. Accepting a payment is idempotent
(the subscription ledger is keyed by the payment id), so a notification delivered five times, or
notifications in any order, extend the subscription once per payment.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from typing import Any

import msgspec

from stpulse.application.billing.common import (
    accept_payment,
    catalog,
    config,
    gateway,
    receipt_for,
    receipt_json,
)
from stpulse.application.billing.deps import BillingDeps
from stpulse.application.billing.events import payment_event
from stpulse.application.billing.notices import PAYMENT_FAILED, PAYMENT_SUCCEEDED
from stpulse.application.billing.ports import (
    ChargeSavedMethod,
    CreateRefund,
    PaymentGatewayError,
    PaymentInfo,
    PaymentNotFound,
    PaymentStatus,
)
from stpulse.application.billing.records import (
    PaymentKind,
    PaymentRecord,
    PaymentState,
    WebhookEvent,
)
from stpulse.application.kernel.deps import new_id
from stpulse.domain.billing import PromoRejected, Subscription

_EVENT_STATUS = {
    "payment.succeeded": PaymentStatus.SUCCEEDED,
    "payment.canceled": PaymentStatus.CANCELED,
    "payment.waiting_for_capture": PaymentStatus.WAITING_FOR_CAPTURE,
}


def sender_allowed(ip: str, networks: tuple[str, ...]) -> bool:
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(net, strict=False) for net in networks)


async def _log(deps: BillingDeps, ip: str, event: str, object_id: str, outcome: str, detail: str = "") -> str:
    async with deps.uow() as raw:
        await raw.webhooks.add(WebhookEvent(received_at=deps.clock.now(), sender_ip=ip[:64], event=event[:64],
                                                     object_id=object_id[:64], outcome=outcome, detail=detail[:500]))
        await raw.commit()
    return outcome


def _parse(body: Any) -> tuple[str, str]:
    if not isinstance(body, dict) or body.get("type") != "notification" or not isinstance(body.get("object"), dict):
        raise ValueError("not a notification")
    event, object_id = body.get("event"), body["object"].get("id")
    if not isinstance(event, str) or not isinstance(object_id, str):
        raise ValueError("no event or object id")
    return event, object_id


async def handle_webhook(deps: BillingDeps, body: Any, sender_ip: str) -> str:
    """Process one notification; returns its outcome (also logged). Never raises on a bad notification."""
    try:
        event, object_id = _parse(body)
    except ValueError as exc:
        return await _log(deps, sender_ip, "?", "?", "malformed", str(exc))
    if not sender_allowed(sender_ip, config(deps).webhook_networks):
        return await _log(deps, sender_ip, event, object_id, "refused_ip", "sender is not in the allow-list")
    claimed = _EVENT_STATUS.get(event)
    if claimed is None:
        return await _log(deps, sender_ip, event, object_id, "ignored", "event is not about a payment's status")
    try:
        info = await gateway(deps).get_payment(object_id)
    except PaymentNotFound:
        return await _log(deps, sender_ip, event, object_id, "unknown", "YooKassa does not know this payment")
    if info.status is not claimed:
        return await _log(deps, sender_ip, event, object_id, "contradicted",
                          f"notification says {claimed.value}, YooKassa says {info.status.value}")
    async with deps.uow() as raw:
        payment = await raw.payments.by_gateway_id(info.id)
    if payment is None:
        return await _log(deps, sender_ip, event, object_id, "unknown", "no such payment of ours")
    changed = await sync_payment(deps, payment, info)
    return await _log(deps, sender_ip, event, object_id, "applied" if changed else "duplicate")


async def sync_payment(deps: BillingDeps, payment: PaymentRecord, info: PaymentInfo) -> PaymentRecord | None:
    """Bring our record (and the subscription) in line with YooKassa's answer; None if nothing changed."""
    now, cfg = deps.clock.now(), config(deps)
    async with deps.uow() as raw:
        uow = raw
        current = await uow.payments.get(payment.id, for_update=True)  # concurrent deliveries queue here
        if current is None or current.state is not PaymentState.PENDING:
            return None
        if info.status is PaymentStatus.SUCCEEDED:
            if info.amount != current.amount:
                return None  # not what we asked for: leave it to an admin
            try:
                current = await accept_payment(uow, current, paid_at=info.captured_at or now, now=now, cfg=cfg,
                                               method_id=info.payment_method_id if info.payment_method_saved else None,
                                               method_title=info.payment_method_title)
            except PromoRejected as exc:
                rejected = exc.message
            else:
                rejected = ""
            if rejected:
                return await _refund_rejected(deps, raw, current, rejected)
            await payment_event(uow, deps.clock, current, "payment.succeeded", notice=PAYMENT_SUCCEEDED)
        elif info.status is PaymentStatus.CANCELED:
            current = msgspec.structs.replace(current, state=PaymentState.CANCELED)
            await uow.payments.update(current)
            await payment_event(uow, deps.clock, current, "payment.failed", notice=PAYMENT_FAILED)
        else:
            return None
        await raw.commit()
    return current


async def _refund_rejected(deps: BillingDeps, raw: Any, payment: PaymentRecord, reason: str) -> PaymentRecord:
    """Another payment took the promo code's last use: this one is returned in full and grants nothing."""
    await gateway(deps).create_refund(CreateRefund(payment_id=payment.gateway_id or "", amount=payment.amount,
                                                   idempotency_key=f"promo-refund-{payment.id}",
                                                   description=reason[:250]))
    refunded = msgspec.structs.replace(payment, state=PaymentState.REFUNDED, refunded_amount=payment.amount)
    await raw.payments.update(refunded)
    await payment_event(raw, deps.clock, refunded, "payment.refund_promo", reason=reason)
    await raw.commit()
    return refunded


async def renew_due(deps: BillingDeps) -> int:
    """Charge saved cards of subscriptions ending within the renewal window; idempotent per period."""
    now, cfg = deps.clock.now(), config(deps)
    async with deps.uow() as raw:
        due = await raw.subscriptions.renewable(now + dt.timedelta(hours=cfg.renew_before_hours))
    charged = 0
    for sub in due:
        if sub.payment_method_id and sub.ends_at and sub.has_access(now):
            charged += await _renew(deps, sub)
    return charged


async def _renew(deps: BillingDeps, sub: Subscription) -> int:
    now, cfg, ends_at = deps.clock.now(), config(deps), sub.ends_at
    key = f"renew:{sub.user_id.hex}:{ends_at:%Y%m%d%H%M%S}"  # one charge per period, whatever retries
    months = next((e.months for e in reversed(sub.entries) if e.months), 1)
    async with deps.uow() as raw:
        uow = raw
        if await uow.payments.by_key(key) is not None:
            return 0
        tariff = (await catalog(uow))[sub.tariff_at(now)]
        user = await uow.users.get(sub.user_id)
        receipt = receipt_for(user.email if user else "", tariff, months, tariff.price_for_period(months), cfg)
        payment = PaymentRecord(id=new_id(), user_id=sub.user_id, kind=PaymentKind.RENEWAL, tariff_code=tariff.code,
                                months=months, amount=receipt.total, list_price=receipt.total, idempotency_key=key,
                                created_at=now, receipt_json=receipt_json(receipt))
        await uow.payments.add(payment)
        await raw.commit()
    try:
        info = await gateway(deps).charge_saved_method(ChargeSavedMethod(
            amount=payment.amount, description=receipt.items[0].description, payment_method_id=sub.payment_method_id
            or "", receipt=receipt, idempotency_key=key, metadata={"payment_id": str(payment.id)}))
    except PaymentGatewayError:
        return 0  # the record stays pending; the next run retries with the same key
    payment = msgspec.structs.replace(payment, gateway_id=info.id)
    async with deps.uow() as raw:
        await raw.payments.update(payment)
        await raw.commit()
    await sync_payment(deps, payment, info)
    return 1


async def refresh_statuses(deps: BillingDeps) -> int:
    """Move cached statuses on (active → past due → expired) so lists and limits read them cheaply."""
    now = deps.clock.now()
    async with deps.uow() as raw:
        uow = raw
        stale = await uow.subscriptions.to_refresh(now)
        for sub in stale:
            await uow.subscriptions.save(sub.tick(now))
        await raw.commit()
    return len(stale)


async def daily_billing(deps: BillingDeps) -> tuple[int, int]:
    """The scheduled job: renew what is due, then refresh statuses."""
    return await renew_due(deps), await refresh_statuses(deps)
