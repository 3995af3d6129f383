"""Issue 18.14: the admin's lists of every subscription and every payment, filterable by state, tariff and date,
with grouped totals and pages."""

from __future__ import annotations

import datetime as dt
import re

from stpulse.application.billing.records import PaymentKind, PaymentRecord, PaymentState
from stpulse.application.kernel.deps import new_id
from stpulse.domain.billing import Subscription
from tests.integration.billing.conftest import Billing, deps_of

NOW = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)


def totals(html: str) -> dict[str, str]:
    return {k: v.replace("\xa0", " ") for k, v in re.findall(r'data-total="(\w+)">([^<]*)<', html)}


async def seed(bill: Billing) -> None:
    anna, boris = await bill.seller("anna-all@example.ru"), await bill.seller("boris-all@example.ru")
    async with deps_of(bill.app).uow() as uow:
        for n in range(55):  # more than a page
            state = PaymentState.SUCCEEDED if n % 5 else PaymentState.CANCELED
            await uow.payments.add(PaymentRecord(
                id=new_id(), user_id=anna if n % 2 else boris, kind=PaymentKind.CARD, tariff_code="start", months=1,
                amount=1990_00, idempotency_key=f"k{n}", created_at=NOW - dt.timedelta(days=n), state=state))
        await uow.payments.add(PaymentRecord(
            id=new_id(), user_id=boris, kind=PaymentKind.INVOICE, tariff_code="business", months=12,
            amount=35880_00, idempotency_key="big", created_at=NOW - dt.timedelta(days=3), state=PaymentState.SUCCEEDED))
        await uow.subscriptions.save(Subscription.new(user_id=anna, tariff_code="pro", now=NOW).start_trial(now=NOW))
        await uow.commit()


async def test_admin_lists_every_payment_with_filters_totals_and_pages(bill: Billing):
    await seed(bill)
    await bill.admin()
    page = (await bill.client.get("/admin/payments")).text
    assert totals(page) == {"count": "56", "amount": "145 330,00 ₽", "paid": "123 440,00 ₽", "refunded": "0,00 ₽"}
    assert page.count("data-payment=") == 50 and "page=2" in page and "Платежи" in page
    second = (await bill.client.get("/admin/payments?page=2")).text
    assert second.count("data-payment=") == 6
    business = (await bill.client.get("/admin/payments?tariff=business")).text
    assert totals(business)["amount"] == "35 880,00 ₽" and "boris-all@example.ru" in business and "Бизнес" in business
    canceled = (await bill.client.get("/admin/payments?status=canceled")).text
    assert totals(canceled)["count"] == "11" and "Отменён" in canceled
    msk_days = (await bill.client.get("/admin/payments?date_from=2026-11-22&date_to=2026-11-23")).text
    assert totals(msk_days)["count"] == "3"  # days 2 and 3 back of «start», and the «business» invoice


async def test_admin_lists_every_subscription_with_state_and_tariff(bill: Billing):
    await seed(bill)
    await bill.admin()
    page = (await bill.client.get("/admin/subscriptions")).text
    assert 'data-subscription="anna-all@example.ru"' in page and totals(page)["count"] == "1"
    assert "Подписки" in page and totals(page)["trial"] == "1"
    assert totals((await bill.client.get("/admin/subscriptions?status=active")).text)["count"] == "0"
    assert totals((await bill.client.get("/admin/subscriptions?tariff=pro&date_from=2026-11-25")).text)["count"] == "1"
