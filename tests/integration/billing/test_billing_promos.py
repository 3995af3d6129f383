"""Acceptance 3: promo codes end to end — created on the admin page, applied on the tariff page, paid on the
sandbox: percent, fixed, extra days; refused when expired, exhausted, used up by this user, or for another tariff."""

from __future__ import annotations

import datetime as dt

import pytest

from stpulse.domain.billing import add_months
from tests.integration.billing.conftest import Billing, deps_of
from tests.integration.billing.test_billing_webhooks import captured_at, subscription
from tests.integration.web_helpers import post_form

BUSINESS_MONTH = 2490_00


async def create_promo(bill: Billing, code: str, kind: str, value: int, **extra: str) -> None:
    data = {"code": code, "kind": kind, "value": str(value), "max_uses_per_user": "1", **extra}
    answer = await post_form(bill.client, "/admin/promos", data, follow_redirects=False)
    assert answer.status_code == 303, answer.text


async def paid_amount(bill: Billing, payment_id: str) -> int:
    return bill.yk.state.payments[payment_id].amount


@pytest.mark.parametrize(("kind", "value", "amount"), [("percent", 20, 1992_00), ("fixed", 500, 1990_00)])
async def test_discount_codes_lower_the_payment_and_count_a_use(bill: Billing, kind: str, value: int, amount: int):
    await bill.admin()
    await create_promo(bill, "SALE", kind, value)
    user_id = await bill.seller("promo@example.ru")
    quoted = await bill.checkout("business", promo="sale", action="quote")
    assert f'data-price="{amount}"' in quoted.text
    payment_id = await bill.pay("business", promo="sale")
    assert await paid_amount(bill, payment_id) == amount
    receipt = bill.yk.state.payments[payment_id].receipt
    assert receipt is not None and receipt["items"][0]["amount"]["value"] == f"{amount / 100:.2f}"
    await bill.deliver(bill.webhooks_for(payment_id)[0])
    async with deps_of(bill.app).uow() as uow:
        assert await uow.promos.uses("SALE", user_id) == 1
    again = await bill.checkout("business", promo="SALE", action="quote")
    assert again.status_code == 409 and "уже использовали" in again.text


async def test_extra_days_code_adds_days_to_the_paid_period(bill: Billing):
    await bill.admin()
    await create_promo(bill, "PLUS10", "extra_days", 10)
    user_id = await bill.seller("days@example.ru")
    payment_id = await bill.pay("business", promo="PLUS10")
    assert await paid_amount(bill, payment_id) == BUSINESS_MONTH
    await bill.deliver(bill.webhooks_for(payment_id)[0])
    sub = await subscription(bill, user_id)
    assert sub is not None
    assert sub.ends_at == add_months(captured_at(bill.yk.state, payment_id), 1) + dt.timedelta(days=10)


async def test_a_fully_discounted_period_is_granted_without_yookassa(bill: Billing):
    await bill.admin()
    await create_promo(bill, "FREE", "percent", 100)
    user_id = await bill.seller("free@example.ru")
    answer = await bill.checkout("start", promo="FREE")
    assert answer.status_code == 303 and answer.headers["location"].startswith("/app/billing/return/")
    assert not bill.yk.state.payments
    sub = await subscription(bill, user_id)
    assert sub is not None and sub.ends_at is not None


async def refused(bill: Billing, tariff: str, code: str) -> str:
    answer = await bill.checkout(tariff, promo=code)
    assert answer.status_code == 409, answer.text
    assert not bill.yk.state.payments or all(p.amount for p in bill.yk.state.payments.values())
    return answer.text


async def test_expired_exhausted_and_wrong_tariff_codes_are_refused(bill: Billing):
    await bill.admin()
    await create_promo(bill, "OLD", "percent", 10, valid_from="2020-01-01", valid_until="2021-01-01")
    await create_promo(bill, "ONCE", "percent", 10, max_uses_total="1")
    await create_promo(bill, "PROONLY", "percent", 10, tariff_codes="pro")
    await bill.seller("first@example.ru")
    first = await bill.pay("business", promo="ONCE")
    await bill.deliver(bill.webhooks_for(first)[0])

    await bill.seller("second@example.ru")
    assert "истёк" in await refused(bill, "business", "OLD")
    assert "исчерпан" in await refused(bill, "business", "ONCE")
    assert "не действует для тарифа" in await refused(bill, "business", "PROONLY")
    assert "не найден" in await refused(bill, "business", "NOSUCH")
    pro = await bill.checkout("pro", promo="PROONLY", action="quote")
    assert pro.status_code == 200 and 'data-price="539100"' in pro.text


async def test_two_pending_checkouts_with_a_once_per_user_code_record_one_use(bill: Billing):
    """Issue 19, item 3: both checkouts passed the check while nothing was paid; both are paid and their
    notifications arrive together. The use is reserved atomically at payment (a unique slot), so one payment
    gets the code and the other is refunded in full with nothing granted."""
    import asyncio

    from stpulse.application.billing.records import PaymentState

    await bill.admin()
    await create_promo(bill, "ONCE1", "percent", 20)
    user_id = await bill.seller("twice@example.ru")
    first, second = await bill.pay("business", promo="ONCE1"), await bill.pay("business", promo="ONCE1")
    answers = await asyncio.gather(*(bill.deliver(bill.webhooks_for(p)[0]) for p in (first, second)))
    assert [a.status_code for a in answers] == [200, 200]
    async with deps_of(bill.app).uow() as uow:
        assert await uow.promos.uses("ONCE1", user_id) == 1
        states = sorted(p.state for p in await uow.payments.for_user(user_id))
    assert states == sorted([PaymentState.SUCCEEDED, PaymentState.REFUNDED])
    assert len(bill.yk.state.refunds) == 1
    sub = await subscription(bill, user_id)
    assert sub is not None and len(sub.applied_payment_ids) == 1
