"""Upgrade with proration paid through YooKassa (the end date stays), and a special tariff an admin assigns."""

from __future__ import annotations

import datetime as dt

import httpx

from stpulse.domain.billing import add_months
from tests.integration.billing.conftest import Billing
from tests.integration.billing.test_billing_admin import admin_post, audit_rows
from tests.integration.billing.test_billing_webhooks import captured_at, subscription
from tests.integration.web_helpers import post_form, sign_in


async def test_upgrade_pays_the_difference_for_the_remaining_days_and_keeps_the_end(bill: Billing):
    user_id = await bill.seller("upgrader@example.ru")
    first = await bill.pay("start")
    await bill.deliver(bill.webhooks_for(first)[0])
    end = add_months(captured_at(bill.yk.state, first), 1)

    quote = await post_form(bill.client, "/app/billing/checkout", {"tariff_code": "business", "action": "upgrade_quote"})
    assert 'id="upgrade-quote"' in quote.text
    answer = await post_form(bill.client, "/app/billing/checkout", {"tariff_code": "business", "action": "upgrade"},
                             follow_redirects=False)
    upgrade_id = answer.headers["location"].rsplit("/", 1)[1]
    price = bill.yk.state.payments[upgrade_id].amount
    assert 1490_00 <= price <= 1500_00  # (2 490 − 990) ₽ × the share of the month still ahead
    async with httpx.AsyncClient() as http:
        await http.post(f"{bill.yk.base}/yookassa/__control/payments/{upgrade_id}/succeed")
    await bill.deliver(bill.webhooks_for(upgrade_id)[0])
    sub = await subscription(bill, user_id)
    assert sub is not None and sub.ends_at == end
    assert sub.tariff_at(end - dt.timedelta(hours=1)) == "business"
    cheaper = await post_form(bill.client, "/app/billing/checkout", {"tariff_code": "start", "action": "upgrade"})
    assert cheaper.status_code == 409


async def test_admin_assigns_a_special_tariff_the_user_then_sees(bill: Billing):
    user_id = await bill.seller("vip@example.ru")
    admin = await bill.admin()
    form = {"base_code": "pro", "monthly_price_rub": "3000", "max_shops": "25", "reason": "Крупный клиент"}
    assert await admin_post(bill, f"/admin/users/{user_id}/special-tariff", **form) == 303
    assert (admin, "tariff.assign_special") in [(r[0], r[1]) for r in await audit_rows(bill)]
    await bill.client.post("/auth/logout")
    bill.client.cookies.clear()
    await sign_in(bill.client, "vip@example.ru")
    page = await bill.client.get("/app/billing")
    assert "Про (индивидуальный)" in page.text and "3\u00a0000,00" in page.text and "Магазинов: 25" in page.text
