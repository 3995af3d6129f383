"""What YooKassa does with a payment: create, confirm at checkout, capture, cancel, refund, auto-charge.

Every operation returns the webhook notifications it causes; the caller sends them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from stpulse.adapters.sandbox.yookassa.errors import invalid
from stpulse.adapters.sandbox.yookassa.state import (
    SandboxPayment,
    SandboxRefund,
    SavedMethod,
    YooKassaState,
    new_id,
)
from stpulse.adapters.sandbox.yookassa.validation import (
    check_confirmation,
    check_description,
    check_metadata,
    check_receipt,
    parse_amount,
)

Notification = dict[str, Any]


def notification(event: str, obj: dict[str, Any]) -> Notification:
    return {"type": "notification", "event": event, "object": obj}


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def create_payment(
    state: YooKassaState, shop_id: str, body: dict[str, Any], checkout_base: str
) -> tuple[SandboxPayment, list[Notification]]:
    amount, _ = parse_amount(body.get("amount"))
    if body.get("receipt") is not None:
        check_receipt(body["receipt"], amount)
    payment = SandboxPayment(
        id=new_id(),
        shop_id=shop_id,
        amount=amount,
        description=check_description(body),
        metadata=check_metadata(body),
        capture=bool(body.get("capture", False)),
        return_url=check_confirmation(body),
        receipt=body.get("receipt"),
        save_payment_method=bool(body.get("save_payment_method", False)),
        created_at=_now(),
    )
    method_id = body.get("payment_method_id")
    if method_id:
        return payment, _charge_saved(state, payment, str(method_id))
    payment.confirmation_url = f"{checkout_base.rstrip('/')}/yookassa/checkout/{payment.id}"
    state.payments[payment.id] = payment
    return payment, []


def _charge_saved(state: YooKassaState, payment: SandboxPayment, method_id: str) -> list[Notification]:
    method = state.methods.get(method_id)
    if method is None:
        raise invalid("Payment method is not found or not saved", "payment_method_id")
    payment.method, payment.method_saved = method, True
    state.payments[payment.id] = payment
    if not method.active:
        return _cancel(payment, party="yoo_money", reason="permission_revoked")
    return _authorise(payment)


def confirm(state: YooKassaState, payment: SandboxPayment) -> list[Notification]:
    """The buyer paid on the checkout page with the test card."""
    if payment.status != "pending":
        raise invalid(f"Payment is already {payment.status}", "payment_id")
    payment.method = SavedMethod(id=payment.id, active=payment.save_payment_method)
    payment.method_saved = payment.save_payment_method
    if payment.save_payment_method:
        state.methods[payment.id] = payment.method
    return _authorise(payment)


def _authorise(payment: SandboxPayment) -> list[Notification]:
    if payment.capture:
        return _succeed(payment, payment.amount)
    payment.status = "waiting_for_capture"
    return [notification("payment.waiting_for_capture", payment.to_json())]


def _succeed(payment: SandboxPayment, amount: int) -> list[Notification]:
    payment.status, payment.captured_amount, payment.captured_at = "succeeded", amount, _now()
    return [notification("payment.succeeded", payment.to_json())]


def decline(payment: SandboxPayment) -> list[Notification]:
    """The buyer gave up on the checkout page."""
    if payment.status != "pending":
        raise invalid(f"Payment is already {payment.status}", "payment_id")
    return _cancel(payment, party="yoo_money", reason="expired_on_confirmation")


def _cancel(payment: SandboxPayment, *, party: str, reason: str) -> list[Notification]:
    payment.status = "canceled"
    payment.cancellation = {"party": party, "reason": reason}
    return [notification("payment.canceled", payment.to_json())]


def capture(payment: SandboxPayment, body: dict[str, Any] | None) -> list[Notification]:
    if payment.status == "succeeded":
        return []
    if payment.status != "waiting_for_capture":
        raise invalid(f"Payment in status {payment.status} can't be captured", "payment_id")
    amount = payment.amount
    if body and body.get("amount") is not None:
        amount, _ = parse_amount(body["amount"])
        if amount > payment.amount:
            raise invalid("Capture amount exceeds the payment amount", "amount.value")
    return _succeed(payment, amount)


def cancel(payment: SandboxPayment) -> list[Notification]:
    if payment.status == "canceled":
        return []
    if payment.status != "waiting_for_capture":
        raise invalid(f"Payment in status {payment.status} can't be canceled", "payment_id")
    return _cancel(payment, party="merchant", reason="canceled_by_merchant")


def create_refund(
    state: YooKassaState, shop_id: str, body: dict[str, Any]
) -> tuple[SandboxRefund, list[Notification]]:
    payment_id = body.get("payment_id")
    if not isinstance(payment_id, str) or not payment_id:
        raise invalid("payment_id is required", "payment_id")
    payment = state.payment(payment_id, shop_id)
    amount, _ = parse_amount(body.get("amount"))
    if payment.status != "succeeded":
        raise invalid("Only a succeeded payment can be refunded", "payment_id")
    if amount > (payment.captured_amount or 0) - payment.refunded:
        raise invalid("Refund amount exceeds the amount available for refund", "amount.value")
    if body.get("receipt") is not None:
        check_receipt(body["receipt"], amount)
    refund = SandboxRefund(
        id=new_id(),
        payment_id=payment.id,
        amount=amount,
        description=check_description(body),
        created_at=_now(),
        receipt=body.get("receipt"),
    )
    payment.refunded += amount
    state.refunds[refund.id] = refund
    return refund, [notification("refund.succeeded", refund.to_json())]


def revoke_method(state: YooKassaState, method_id: str) -> None:
    method = state.methods.get(method_id)
    if method is None:
        raise invalid("Payment method is not found", "payment_method_id")
    method.active = False
