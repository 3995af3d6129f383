"""Acceptance 1: the real yookassa SDK against the sandbox — pay → webhook → active with the right end date;
redelivered and out-of-order webhooks extend once; refused and contradicted webhooks change nothing, logged."""

from __future__ import annotations

import uuid

from sqlalchemy import text

from stpulse.adapters.sandbox.yookassa.state import YooKassaState
from stpulse.application.billing.records import PaymentState
from stpulse.domain.billing import Subscription, SubscriptionStatus, add_months
from tests.integration.billing.conftest import Billing, deps_of


def captured_at(yk_state: YooKassaState, payment_id: str):
    """As YooKassa reports it: to the millisecond."""
    moment = yk_state.payments[payment_id].captured_at
    assert moment is not None
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


async def subscription(bill: Billing, user_id: uuid.UUID) -> Subscription | None:
    async with deps_of(bill.app).uow() as uow:
        return await uow.subscriptions.get(user_id)


async def outcomes(bill: Billing, object_id: str) -> list[str]:
    async with deps_of(bill.app).uow() as uow:
        rows = await uow.session.execute(  # type: ignore[attr-defined]
            text("SELECT outcome FROM payment_webhooks WHERE object_id = :o ORDER BY received_at"), {"o": object_id})
        return [r[0] for r in rows]


async def test_pay_then_the_same_webhook_five_times_extends_once(bill: Billing):
    user_id = await bill.seller("payer@example.ru")
    payment_id = await bill.pay("business", months=3)
    assert len(payment_id) == 36
    [hook] = bill.webhooks_for(payment_id)
    assert hook["event"] == "payment.succeeded"
    for _ in range(5):
        assert (await bill.deliver(hook)).status_code == 200

    sub = await subscription(bill, user_id)
    assert sub is not None and len(sub.entries) == 1
    paid_at = captured_at(bill.yk.state, payment_id)
    assert sub.ends_at == add_months(paid_at, 3)
    assert sub.status_at(paid_at) is SubscriptionStatus.ACTIVE
    assert await outcomes(bill, payment_id) == ["applied"] + ["duplicate"] * 4
    page = await bill.client.get("/app/billing")
    assert 'data-status="active"' in page.text and add_months(paid_at, 3).strftime("%Y-%m-%d") in page.text


async def test_webhooks_out_of_order_extend_once_per_payment(bill: Billing):
    user_id = await bill.seller("twice@example.ru")
    first = await bill.pay("start")
    second = await bill.pay("start")
    hooks = {p: bill.webhooks_for(p)[0] for p in (first, second)}
    for p in (second, first, second, first, second):
        await bill.deliver(hooks[p])
    sub = await subscription(bill, user_id)
    assert sub is not None and len(sub.entries) == 2
    assert sub.ends_at == add_months(add_months(captured_at(bill.yk.state, first), 1), 1)


async def test_webhook_from_outside_the_allow_list_changes_nothing_and_is_logged(bill: Billing):
    user_id = await bill.seller("outsider@example.ru")
    payment_id = await bill.pay("pro")
    [hook] = bill.webhooks_for(payment_id)
    answer = await bill.deliver(hook, ip="203.0.113.7")
    assert answer.status_code == 403
    assert await subscription(bill, user_id) is None
    assert await outcomes(bill, payment_id) == ["refused_ip"]
    async with deps_of(bill.app).uow() as uow:
        payment = await uow.payments.by_gateway_id(payment_id)
    assert payment is not None and payment.state is PaymentState.PENDING


async def test_webhook_contradicted_by_the_refetch_changes_nothing_and_is_logged(bill: Billing):
    user_id = await bill.seller("forger@example.ru")
    answer = await bill.checkout("business")
    payment_id = answer.headers["location"].rsplit("/", 1)[1]  # created, never paid
    forged = {"type": "notification", "event": "payment.succeeded",
              "object": {"id": payment_id, "status": "succeeded", "paid": True,
                         "amount": {"value": "2490.00", "currency": "RUB"}}}
    assert (await bill.deliver(forged)).status_code == 200
    assert await subscription(bill, user_id) is None
    assert await outcomes(bill, payment_id) == ["contradicted"]
    async with deps_of(bill.app).uow() as uow:
        payment = await uow.payments.by_gateway_id(payment_id)
        detail = (await uow.session.execute(text(  # type: ignore[attr-defined]
            "SELECT detail FROM payment_webhooks WHERE object_id = :o"), {"o": payment_id})).scalar_one()
    assert payment is not None and payment.state is PaymentState.PENDING
    assert "pending" in detail


async def test_return_page_asks_yookassa_and_activates(bill: Billing):
    """The buyer is back before the webhook: the return page re-fetches the payment and applies it."""
    user_id = await bill.seller("returner@example.ru")
    payment_id = await bill.pay("start")
    async with deps_of(bill.app).uow() as uow:
        ours = await uow.payments.by_gateway_id(payment_id)
    assert ours is not None
    page = await bill.client.get(f"/app/billing/return/{ours.id}")
    assert 'data-payment-state="succeeded"' in page.text
    sub = await subscription(bill, user_id)
    assert sub is not None and sub.ends_at == add_months(captured_at(bill.yk.state, payment_id), 1)
    await bill.deliver(bill.webhooks_for(payment_id)[0])
    assert await outcomes(bill, payment_id) == ["duplicate"]
