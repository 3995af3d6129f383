"""Billing use cases over the in-memory fakes: trial rules, free periods, limits, webhooks, admin audit."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid

import pytest

from stpulse.application.accounts.actor import Actor
from stpulse.application.billing import admin as billing_admin
from stpulse.application.billing import subscriptions
from stpulse.application.billing.limits import ShopLimitReached, check_shop_limit, subscription_allows_sync
from stpulse.application.billing.payment_events import handle_webhook, sender_allowed
from stpulse.application.billing.ports import (
    ChargeSavedMethod,
    CreatePayment,
    CreateRefund,
    PaymentInfo,
    PaymentNotFound,
    PaymentStatus,
    RefundInfo,
)
from stpulse.domain.billing import PromoCode, PromoKind, SubscriptionStatus
from stpulse.domain.kernel.errors import Conflict
from stpulse.domain.ledger.shops import Shop
from stpulse.entrypoints.deps import Deps
from tests.unit.foundation.helpers import actor_for


class FakeGateway:
    """Payments exist only when a test says so; YooKassa's answer is whatever the test put there."""

    def __init__(self) -> None:
        self.payments: dict[str, PaymentInfo] = {}

    async def create_payment(self, command: CreatePayment) -> PaymentInfo:
        info = PaymentInfo(id=str(uuid.uuid4()), status=PaymentStatus.PENDING, amount=command.amount, paid=False,
                           confirmation_url="https://yookassa.test/checkout")
        self.payments[info.id] = info
        return info

    async def get_payment(self, payment_id: str) -> PaymentInfo:
        if payment_id not in self.payments:
            raise PaymentNotFound()
        return self.payments[payment_id]

    async def create_refund(self, command: CreateRefund) -> RefundInfo:
        return RefundInfo(id=str(uuid.uuid4()), payment_id=command.payment_id, status="succeeded",
                          amount=command.amount)

    async def charge_saved_method(self, command: ChargeSavedMethod) -> PaymentInfo:
        raise PaymentNotFound()


@pytest.fixture
def bdeps(deps: Deps) -> Deps:
    return dataclasses.replace(deps, payments=FakeGateway())


async def add_shop(deps: Deps, actor: Actor, client_id: str) -> None:
    async with deps.uow() as uow:
        await uow.shops.add(Shop(id=uuid.uuid4(), account_id=actor.account_id, name=client_id, client_id=client_id),
                            b"key")
        await uow.commit()


async def test_trial_once_per_user_and_per_ozon_client_id(bdeps: Deps):
    anna = await actor_for(bdeps, "anna@example.ru", trial=False)
    await add_shop(bdeps, anna, "5001")
    sub = await subscriptions.start_trial(bdeps, anna)
    assert sub.status_at(bdeps.clock.now()) is SubscriptionStatus.TRIAL and sub.tariff_code == "pro"
    with pytest.raises(Conflict):
        await subscriptions.start_trial(bdeps, anna)
    boris = await actor_for(bdeps, "boris@example.ru", trial=False)
    await add_shop(bdeps, boris, "5001")
    with pytest.raises(Conflict, match="5001"):
        await subscriptions.start_trial(bdeps, boris)


async def test_first_shop_starts_the_trial_and_the_limit_refuses_one_over(bdeps: Deps):
    owner = await actor_for(bdeps, trial=False)
    now = bdeps.clock.now()
    async with bdeps.uow() as uow:
        await check_shop_limit(uow, owner.account_id, now, "7001")
        await uow.commit()
    overview = await subscriptions.overview(bdeps, owner)
    assert overview.status is SubscriptionStatus.TRIAL and not overview.trial_available
    await billing_admin.change_tariff(bdeps, await admin(bdeps), owner.user.id,
                                      billing_admin.AdminAction(reason="тест", tariff_code="start"))
    await add_shop(bdeps, owner, "7001")
    async with bdeps.uow() as uow:
        with pytest.raises(ShopLimitReached, match="Старт"):
            await check_shop_limit(uow, owner.account_id, now, "7002")


async def admin(deps: Deps):  # type: ignore[no-untyped-def]
    from stpulse.application.accounts.admin_users import make_admin

    return await make_admin(deps, "root@stpulse.test", "correct-horse-1")


async def test_a_free_promo_period_needs_no_gateway_and_counts_the_use(bdeps: Deps):
    owner = await actor_for(bdeps, trial=False)
    async with bdeps.uow() as raw:
        await raw.promos.save(PromoCode(code="GIFT", kind=PromoKind.PERCENT, value=100))
        await raw.commit()
    payment = await subscriptions.checkout(bdeps, owner, subscriptions.Checkout(tariff_code="start", promo_code="gift"))
    assert payment.amount == 0 and payment.confirmation_url is None
    async with bdeps.uow() as raw:
        assert await raw.promos.uses("GIFT", owner.user.id) == 1
    async with bdeps.uow() as uow:
        assert await subscription_allows_sync(uow, owner.account_id, bdeps.clock.now())


async def test_webhooks_refused_malformed_and_contradicted_change_nothing(bdeps: Deps):
    owner = await actor_for(bdeps, trial=False)
    payment = await subscriptions.checkout(bdeps, owner, subscriptions.Checkout(tariff_code="start"))
    body = {"type": "notification", "event": "payment.succeeded", "object": {"id": payment.gateway_id}}
    assert await handle_webhook(bdeps, body, "8.8.8.8") == "refused_ip"
    assert await handle_webhook(bdeps, {"nonsense": 1}, "185.71.76.5") == "malformed"
    assert await handle_webhook(bdeps, body, "185.71.76.5") == "contradicted"  # YooKassa says pending
    async with bdeps.uow() as raw:
        assert await raw.subscriptions.get(owner.user.id) is None
        assert [e.outcome for e in reversed(await raw.webhooks.recent(10))] == [
            "refused_ip", "malformed", "contradicted"]


def test_sender_allow_list():
    nets = ("185.71.76.0/27", "2a02:5180::/32")
    assert sender_allowed("185.71.76.31", nets) and sender_allowed("2a02:5180::1", nets)
    assert not sender_allowed("185.71.76.32", nets) and not sender_allowed("junk", nets)


async def test_admin_extend_is_audited(bdeps: Deps):
    owner = await actor_for(bdeps, trial=False)
    root = await admin(bdeps)
    sub = await billing_admin.extend(bdeps, root, owner.user.id, billing_admin.AdminAction(reason="Бонус", days=7))
    assert sub.ends_at == bdeps.clock.now() + dt.timedelta(days=7)
    store = bdeps.uow.store  # type: ignore[attr-defined]
    assert store.audit[-1][:2] == (root.id, "subscription.extend") and "Бонус" in store.audit[-1][3]


async def test_a_period_paid_during_the_trial_lets_a_used_client_id_connect(bdeps: Deps):
    """Issue 18.1: the demo pays for «Бизнес» during its trial; its next Client-Id had a trial elsewhere."""
    boris = await actor_for(bdeps, "boris@example.ru", trial=False)
    async with bdeps.uow() as uow:
        await check_shop_limit(uow, boris.account_id, bdeps.clock.now(), "8002")  # 8002's trial is used up
        await uow.commit()
    owner = await actor_for(bdeps, trial=False)
    async with bdeps.uow() as uow:
        await check_shop_limit(uow, owner.account_id, bdeps.clock.now(), "8001")
        await uow.commit()
    await add_shop(bdeps, owner, "8001")
    async with bdeps.uow() as raw:
        await raw.promos.save(PromoCode(code="GIFT", kind=PromoKind.PERCENT, value=100))
        await raw.commit()
    await subscriptions.checkout(bdeps, owner, subscriptions.Checkout(tariff_code="business", promo_code="gift"))
    async with bdeps.uow() as uow:
        await check_shop_limit(uow, owner.account_id, bdeps.clock.now(), "8002")
