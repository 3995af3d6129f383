"""The billing repositories: one suite against the in-memory fakes and PostgreSQL, so the fakes stay honest."""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec

from stpulse.application.billing.records import (
    InvoiceRecord,
    PaymentKind,
    PaymentRecord,
    PaymentState,
    WebhookEvent,
)
from stpulse.application.kernel.deps import new_id
from stpulse.domain.billing import (
    DEFAULT_TRIAL_DAYS,
    PromoCode,
    PromoKind,
    Requisites,
    Subscription,
    TrialRecord,
)
from tests.integration.contract_helpers import add_account as _account

NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)
BUYER = Requisites(name="ООО «Ромашка»", inn="7707083893")


def _payment(user_id: uuid.UUID, key: str, **kw) -> PaymentRecord:  # type: ignore[no-untyped-def]
    values = {"tariff_code": "start", "amount": 990_00, "created_at": NOW} | kw
    return PaymentRecord(id=new_id(), user_id=user_id, kind=PaymentKind.CARD, months=1, idempotency_key=key, **values)


async def test_subscription_ledger_roundtrip_and_renewal_query(uow_factory):  # type: ignore[no-untyped-def]
    async with uow_factory() as uow:
        user, _ = await _account(uow, "sub@example.ru")
        sub = Subscription.new(user_id=user.id, tariff_code="pro", now=NOW).start_trial(now=NOW)
        sub = sub.payment_succeeded(payment_id="p-1", tariff_code="start", months=1, paid_at=NOW, amount=99000)
        sub = sub.set_auto_renew(enabled=True, payment_method_id="m-1")
        await uow.subscriptions.save(sub)
        await uow.commit()
    async with uow_factory() as uow:
        b = uow
        assert await b.subscriptions.get(user.id) == sub
        assert await b.subscriptions.for_users([user.id, uuid.uuid4()]) == {user.id: sub}
        assert await b.subscriptions.renewable(NOW + dt.timedelta(days=DEFAULT_TRIAL_DAYS + 40)) == [sub]
        assert await b.subscriptions.renewable(NOW) == []
        assert await b.subscriptions.to_refresh(NOW + dt.timedelta(days=100)) == [sub]


async def test_payments_by_id_key_and_gateway_id(uow_factory):  # type: ignore[no-untyped-def]
    async with uow_factory() as uow:
        user, _ = await _account(uow, "pay@example.ru")
        payment = _payment(user.id, "k-1", promo_code="SALE")
        await uow.payments.add(payment)
        await uow.commit()
    paid = msgspec.structs.replace(payment, gateway_id="g" * 36, state=PaymentState.SUCCEEDED, paid_at=NOW)
    async with uow_factory() as uow:
        await uow.payments.update(paid)
        await uow.commit()
    async with uow_factory() as uow:
        b = uow
        assert await b.payments.get(payment.id, for_update=True) == paid
        assert await b.payments.by_gateway_id("g" * 36) == paid
        assert await b.payments.by_key("k-1") == paid
        assert await b.payments.for_user(user.id) == [paid]


async def test_promo_uses_counted_once_per_payment(uow_factory):  # type: ignore[no-untyped-def]
    promo = PromoCode(code="SALE", kind=PromoKind.PERCENT, value=10, tariff_codes=frozenset({"pro"}),
                      valid_until=NOW + dt.timedelta(days=1), max_uses_total=5)
    async with uow_factory() as uow:
        user, _ = await _account(uow, "promo@example.ru")
        b = uow
        await b.promos.save(promo)
        payment_id = uuid.uuid4()
        assert await b.promos.reserve_use(promo, user.id, payment_id, NOW)
        assert await b.promos.reserve_use(promo, user.id, payment_id, NOW)  # the same payment: the same use
        assert not await b.promos.reserve_use(promo, user.id, uuid.uuid4(), NOW)  # once per user
        await uow.commit()
    async with uow_factory() as uow:
        b = uow
        stored = await b.promos.get("SALE")
        assert stored is not None and stored.promo == promo and stored.active and stored.uses == 1
        assert await b.promos.uses("SALE", user.id) == 1 and await b.promos.uses("SALE", uuid.uuid4()) == 0
        await b.promos.save(promo, active=False)
        await uow.commit()
    async with uow_factory() as uow:
        [listed] = await uow.promos.all()
        assert not listed.active and listed.uses == 1


async def test_promo_total_limit_is_held_by_reserved_slots(uow_factory):  # type: ignore[no-untyped-def]
    promo = PromoCode(code="TWO", kind=PromoKind.FIXED, value=100, max_uses_total=2)
    async with uow_factory() as uow:
        users = [(await _account(uow, f"u{i}@example.ru"))[0] for i in range(3)]
        b = uow
        await b.promos.save(promo)
        taken = [await b.promos.reserve_use(promo, u.id, uuid.uuid4(), NOW) for u in users]
        await uow.commit()
    assert taken == [True, True, False]


async def test_invoices_trials_and_webhook_log(uow_factory):  # type: ignore[no-untyped-def]
    async with uow_factory() as uow:
        user, account = await _account(uow, "inv@example.ru")
        b = uow
        number = await b.invoices.next_number()
        invoice = InvoiceRecord(id=new_id(), number=number, user_id=user.id, account_id=account.id,
                                legal_entity_id=uuid.uuid4(), payment_id=uuid.uuid4(), buyer=BUYER,
                                tariff_code="pro", months=12, amount=100, vat_rate=None, created_at=NOW)
        await b.invoices.add(invoice)
        await b.trials.add(TrialRecord(user_id=user.id, client_ids=frozenset({"111"}), started_at=NOW))
        await b.trials.add_client_id(user.id, "222")
        await b.webhooks.add(WebhookEvent(received_at=NOW, sender_ip="1.2.3.4", event="payment.succeeded",
                                          object_id="x", outcome="refused_ip"))
        await uow.commit()
    async with uow_factory() as uow:
        b = uow
        assert number == 1 and await b.invoices.next_number() == 2
        assert await b.invoices.get(invoice.id) == invoice and await b.invoices.for_user(user.id) == [invoice]
        [trial] = await b.trials.matching(uuid.uuid4(), frozenset({"222"}))
        assert trial.user_id == user.id and trial.client_ids == {"111", "222"}
        assert await b.trials.matching(uuid.uuid4(), frozenset({"333"})) == []
        [event] = await b.webhooks.recent(5)
        assert event.outcome == "refused_ip" and event.sender_ip == "1.2.3.4"


async def test_payment_search_filters_pages_and_totals(uow_factory):  # type: ignore[no-untyped-def]
    """Issue 18.14: the admin's list of every payment (state, tariff, dates) with totals over all matches."""
    from stpulse.application.billing.records import PaymentQuery

    async with uow_factory() as uow:
        anna, _ = await _account(uow, "anna-list@example.ru")
        boris, _ = await _account(uow, "boris-list@example.ru")
        day = dt.timedelta(days=1)
        await uow.payments.add(_payment(anna.id, "a1", state=PaymentState.SUCCEEDED))
        await uow.payments.add(_payment(anna.id, "a2", created_at=NOW - 10 * day, tariff_code="business",
                                        amount=2990_00, state=PaymentState.REFUNDED, refunded_amount=2990_00))
        await uow.payments.add(_payment(boris.id, "b1", created_at=NOW - day, state=PaymentState.PENDING))
        await uow.payments.add(_payment(boris.id, "b2", created_at=NOW - 2 * day, tariff_code="business",
                                        amount=2990_00, state=PaymentState.SUCCEEDED, refunded_amount=990_00))
        await uow.subscriptions.save(Subscription.new(user_id=anna.id, tariff_code="pro", now=NOW).start_trial(now=NOW))
        await uow.commit()
    async with uow_factory() as uow:
        items, totals = await uow.payments.search(PaymentQuery(), 0, 2)
        assert [p.idempotency_key for p in items] == ["a1", "b1"]  # newest first, one page
        assert (totals.count, totals.amount, totals.paid, totals.refunded) == (
            4, 990_00 * 2 + 2990_00 * 2, 990_00 + 2000_00, 2990_00 + 990_00)
        items, totals = await uow.payments.search(PaymentQuery(tariff_code="business"), 0, 10)
        assert [p.idempotency_key for p in items] == ["b2", "a2"] and totals.amount == 2 * 2990_00
        items, _ = await uow.payments.search(PaymentQuery(state=PaymentState.PENDING), 0, 10)
        assert [p.idempotency_key for p in items] == ["b1"]
        items, totals = await uow.payments.search(PaymentQuery(since=NOW - 3 * day, until=NOW - day / 2), 2, 10)
        assert items == [] and totals.count == 2  # b1, b2 matched; the page is past them
        assert [s.user_id for s in await uow.subscriptions.all()] == [anna.id]
