"""Acceptance 7 (every admin action on a subscription or payment is audited: who, when, why), 4 (the invoice
PDF and its «paid» mark) and 5 (tariff limits: shops, paused sync, kept data)."""

from __future__ import annotations

import datetime as dt
import io
import uuid

import pytest
from pypdf import PdfReader
from sqlalchemy import text

from stpulse.adapters.billing.pdf.words import amount_in_words
from stpulse.application.billing.limits import ShopLimitReached, check_shop_limit, subscription_allows_sync
from stpulse.application.billing.records import PaymentState
from stpulse.domain.accounts.legal import EntityKind, LegalEntity
from stpulse.domain.billing import SubscriptionStatus
from stpulse.domain.ledger.shops import Shop
from tests.integration.billing.conftest import Billing, deps_of
from tests.integration.billing.test_billing_webhooks import subscription
from tests.integration.web_helpers import post_form


async def audit_rows(bill: Billing) -> list[tuple]:
    async with deps_of(bill.app).uow() as uow:
        rows = await uow.session.execute(text(  # type: ignore[attr-defined]
            "SELECT actor_id, action, subject, reason, at FROM audit_log ORDER BY at, created_at"))
        return [tuple(r) for r in rows]


async def admin_post(bill: Billing, url: str, **data: str) -> int:
    return (await post_form(bill.client, url, data, follow_redirects=False)).status_code


async def account_of(bill: Billing, user_id: uuid.UUID) -> uuid.UUID:
    async with deps_of(bill.app).uow() as uow:
        [membership] = await uow.memberships.for_user(user_id)
    return membership.account_id


async def test_every_admin_action_is_audited_with_who_when_why(bill: Billing):
    seller = await bill.seller("audited@example.ru")
    gateway_id = await bill.pay("business")
    await bill.deliver(bill.webhooks_for(gateway_id)[0])
    admin = await bill.admin()
    base = f"/admin/users/{seller}/subscription"
    assert await admin_post(bill, f"{base}/extend", days="30", reason="") == 422  # no reason, no action
    assert await admin_post(bill, f"{base}/extend", days="30", reason="Компенсация за сбой синхронизации") == 303
    assert await admin_post(bill, f"{base}/change", tariff_code="pro", reason="Перевод по договорённости") == 303
    page = await bill.client.get(f"/admin/users/{seller}")
    assert f'data-payment="{gateway_id}"' in page.text and "Про" in page.text
    async with deps_of(bill.app).uow() as uow:
        payment = await uow.payments.by_gateway_id(gateway_id)
    assert payment is not None
    assert await admin_post(bill, f"/admin/payments/{payment.id}/refund", reason="Списали дважды") == 303
    assert await admin_post(bill, f"{base}/cancel", reason="Запрос клиента") == 303

    rows = [r for r in await audit_rows(bill) if r[0] is not None]  # the payment itself is logged by no one (issue 16)
    assert [(r[0], r[1]) for r in rows] == [
        (admin, "subscription.extend"), (admin, "subscription.change_tariff"), (admin, "payment.refund"),
        (admin, "subscription.cancel")]
    assert all(r[4] is not None for r in rows)
    reasons = " | ".join(r[3] for r in rows)
    for why in ("Компенсация за сбой", "Перевод по договорённости", "Списали дважды", "Запрос клиента"):
        assert why in reasons
    assert bill.yk.state.payments[gateway_id].refunded == 2490_00
    async with deps_of(bill.app).uow() as uow:
        refunded = await uow.payments.by_gateway_id(gateway_id)
    assert refunded is not None and refunded.state is PaymentState.REFUNDED
    sub = await subscription(bill, seller)
    assert sub is not None and sub.status is SubscriptionStatus.EXPIRED


BUYER = dict(kind=EntityKind.OOO, name="ООО «Ромашка»", inn="7707083893", kpp="773601001",
             address="г. Москва, ул. Садовая, д. 5", bank_name="ПАО Сбербанк", bik="044525225",
             settlement_account="40702810938000000001", correspondent_account="30101810400000000225")


async def test_invoice_pdf_holds_both_inn_and_the_amount_in_words_and_paid_mark_activates(bill: Billing):
    seller = await bill.seller("company@example.ru")
    account = await account_of(bill, seller)
    async with deps_of(bill.app).uow() as uow:
        await uow.legal_entities.add(LegalEntity(id=uuid.uuid4(), account_id=account, **BUYER))  # type: ignore[arg-type]
        [entity] = await uow.legal_entities.for_account(account)
        await uow.commit()
    form = {"legal_entity_id": str(entity.id), "tariff_code": "business", "months": "12"}
    assert (await post_form(bill.client, "/app/billing/invoices", form, follow_redirects=False)).status_code == 303
    async with deps_of(bill.app).uow() as uow:
        [invoice] = await uow.invoices.for_user(seller)
    pdf = await bill.client.get(f"/app/billing/invoices/{invoice.id}/pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    words = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    flat = " ".join(words.split())
    amount = 2490_00 * 12 * 80 // 100
    assert invoice.amount == amount
    for needle in ("7707083893", bill.app.state.container.deps.billing.supplier.inn, "23 904,00",
                   " ".join(amount_in_words(amount).split())):
        assert needle in flat, needle

    admin = await bill.admin()
    assert await admin_post(bill, f"/admin/invoices/{invoice.id}/paid", reason="п/п № 512 от 25.11.2026") == 303
    sub = await subscription(bill, seller)
    assert sub is not None and sub.has_access(sub.checked_at)  # type: ignore[arg-type]
    assert (admin, "invoice.mark_paid") in [(r[0], r[1]) for r in await audit_rows(bill)]
    assert await admin_post(bill, f"/admin/invoices/{invoice.id}/paid", reason="ещё раз") == 409


async def add_shop(bill: Billing, account: uuid.UUID, client_id: str) -> None:
    async with deps_of(bill.app).uow() as uow:
        await uow.shops.add(Shop(id=uuid.uuid4(), account_id=account, name=f"Магазин {client_id}",
                                 client_id=client_id, created_at=dt.datetime.now(dt.UTC)), b"key")
        await uow.commit()


async def test_one_shop_tariff_refuses_a_second_shop_and_expiry_pauses_sync_keeping_data(bill: Billing):
    seller = await bill.seller("limited@example.ru")
    account = await account_of(bill, seller)
    gateway_id = await bill.pay("start")
    await bill.deliver(bill.webhooks_for(gateway_id)[0])
    deps = deps_of(bill.app)
    async with deps.uow() as uow:
        await check_shop_limit(uow, account, deps.clock.now(), "111")
    await add_shop(bill, account, "111")
    async with deps.uow() as uow:
        with pytest.raises(ShopLimitReached) as refused:
            await check_shop_limit(uow, account, deps.clock.now(), "222")
    assert refused.value.action_url == "/app/billing" and "Старт" in refused.value.message

    await bill.admin()
    assert await admin_post(bill, f"/admin/users/{seller}/subscription/cancel", reason="Проверка истечения") == 303
    async with deps.uow() as uow:
        assert not await subscription_allows_sync(uow, account, deps.clock.now())
        assert [s.client_id for s in await uow.shops.for_account(account)] == ["111"]  # the data stays


async def test_trial_once_per_user_and_per_client_id(bill: Billing):
    first = await bill.seller("trial-one@example.ru")
    await add_shop(bill, await account_of(bill, first), "777")
    assert (await post_form(bill.client, "/app/billing/trial", {}, follow_redirects=False)).status_code == 303
    page = await bill.client.get("/app/billing")
    assert 'data-status="trial"' in page.text and "start-trial" not in page.text
    assert (await post_form(bill.client, "/app/billing/trial", {})).status_code == 409

    second = await bill.seller("trial-two@example.ru")
    await add_shop(bill, await account_of(bill, second), "777")  # the same Ozon shop
    again = await post_form(bill.client, "/app/billing/trial", {})
    assert again.status_code == 409 and "777" in again.text


async def test_admin_pages_tariffs_promos_and_the_users_list_with_subscriptions(bill: Billing):
    seller = await bill.seller("listed@example.ru")
    gateway_id = await bill.pay("business")
    await bill.deliver(bill.webhooks_for(gateway_id)[0])
    async with deps_of(bill.app).uow() as uow:
        payment = await uow.payments.by_gateway_id(gateway_id)
    assert payment is not None
    receipt = await bill.client.get(f"/app/billing/payments/{payment.id}/receipt")
    assert "Бизнес" in receipt.text and "Без НДС" in receipt.text and "listed@example.ru" in receipt.text

    admin = await bill.admin()
    users = await bill.client.get("/admin/users")
    assert f'href="/admin/users/{seller}"' in users.text and "Активна" in users.text
    assert "Бизнес" in (await bill.client.get("/admin/tariffs")).text
    form = {"code": "start", "name": "Старт", "monthly_price_rub": "1190", "max_shops": "1", "max_skus": "500",
            "history_months": "12", "features": "export", "discount_3": "5", "discount_6": "10", "discount_12": "25"}
    assert await admin_post(bill, "/admin/tariffs", **form) == 303
    assert "1\u00a0190,00" in (await bill.client.get("/admin/tariffs")).text
    bad = await post_form(bill.client, "/admin/promos", {"code": "X", "kind": "percent", "value": "150",
                                                         "max_uses_per_user": "1"})
    assert bad.status_code == 422 and "Неверный размер скидки" in bad.text
    assert await admin_post(bill, "/admin/promos/NOPE/active", active="0") == 404
    actions = [(r[0], r[1]) for r in await audit_rows(bill)]
    assert (admin, "tariff.save") in actions
