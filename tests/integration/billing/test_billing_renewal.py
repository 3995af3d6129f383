"""Auto-renewal by the scheduled job: the saved card is charged once per period, whatever the retries;
a revoked card leaves the period unpaid and the subscription goes past due, then expires."""

from __future__ import annotations

import dataclasses
import datetime as dt

import httpx

from stpulse.application.billing.payment_events import daily_billing
from stpulse.application.billing.records import PaymentKind, PaymentState
from stpulse.domain.billing import SubscriptionStatus, add_months
from tests.fakes import FixedClock
from tests.integration.billing.conftest import Billing, deps_of
from tests.integration.billing.test_billing_webhooks import captured_at, subscription
from tests.integration.web_helpers import post_form


async def test_saved_card_renews_once_per_period(bill: Billing):
    user_id = await bill.seller("renew@example.ru")
    data = {"tariff_code": "start", "months": "1", "action": "pay", "auto_renew": "on"}
    answer = await post_form(bill.client, "/app/billing/checkout", data, follow_redirects=False)
    gateway_id = answer.headers["location"].rsplit("/", 1)[1]
    async with httpx.AsyncClient() as http:
        await http.post(f"{bill.yk.base}/yookassa/checkout/{gateway_id}/pay")
    await bill.deliver(bill.webhooks_for(gateway_id)[0])
    sub = await subscription(bill, user_id)
    assert sub is not None and sub.auto_renew and sub.payment_method_id == gateway_id
    first_end = add_months(captured_at(bill.yk.state, gateway_id), 1)

    later = dataclasses.replace(deps_of(bill.app), clock=FixedClock(first_end - dt.timedelta(hours=2)))
    assert await daily_billing(later) == (1, 0)
    assert await daily_billing(later) == (0, 0)  # the job ran twice: still one charge
    sub = await subscription(bill, user_id)
    assert sub is not None and sub.ends_at == add_months(first_end, 1)
    async with deps_of(bill.app).uow() as uow:
        payments = await uow.payments.for_user(user_id)
    renewal = [p for p in payments if p.kind is PaymentKind.RENEWAL]
    assert len(renewal) == 1 and renewal[0].state is PaymentState.SUCCEEDED and renewal[0].receipt_json

    async with httpx.AsyncClient() as http:
        await http.post(f"{bill.yk.base}/yookassa/__control/payment_methods/{gateway_id}/revoke")
    second_end = add_months(first_end, 1)
    near = dataclasses.replace(deps_of(bill.app), clock=FixedClock(second_end - dt.timedelta(hours=1)))
    await daily_billing(near)
    after_grace = dataclasses.replace(deps_of(bill.app), clock=FixedClock(second_end + dt.timedelta(days=1)))
    unpaid = await subscription(bill, user_id)
    assert unpaid is not None and unpaid.status_at(second_end + dt.timedelta(days=1)) is SubscriptionStatus.PAST_DUE
    await daily_billing(after_grace)
    expired_at = second_end + dt.timedelta(days=4)
    await daily_billing(dataclasses.replace(deps_of(bill.app), clock=FixedClock(expired_at)))
    sub = await subscription(bill, user_id)
    assert sub is not None and sub.ends_at == second_end and sub.status is SubscriptionStatus.EXPIRED
