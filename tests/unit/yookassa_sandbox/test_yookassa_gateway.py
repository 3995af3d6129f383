"""The real YooKassa adapter (official SDK underneath) against the sandbox over real HTTP."""

import socket

import httpx
import pytest

from stpulse.adapters.billing.yookassa_gateway import YooKassaGateway, notification_object_id
from stpulse.application.billing.ports import (
    ChargeSavedMethod,
    CreatePayment,
    CreateRefund,
    PaymentGateway,
    PaymentGatewayError,
    PaymentGatewayUnavailable,
    PaymentNotFound,
    PaymentStatus,
    Receipt,
    ReceiptItem,
)
from stpulse.domain.kernel.errors import ValidationError
from tests.unit.yookassa_sandbox.server import SECRET, SHOP_ID

RECEIPT = Receipt(
    email="seller@example.ru",
    items=(ReceiptItem(description="Подписка STPulse «Профи», 3 месяца", price=282_150, vat_rate=20),),
)


def command(**kw) -> CreatePayment:
    base = dict(
        amount=282_150,
        description="Подписка STPulse",
        return_url="https://stpulse.example/billing/return",
        receipt=RECEIPT,
        idempotency_key="order-1",
        metadata={"subscription_id": "s-1"},
    )
    return CreatePayment(**(base | kw))


@pytest.fixture
def gateway(sdk) -> YooKassaGateway:
    return YooKassaGateway(
        shop_id=SHOP_ID, secret_key=SECRET, api_url=sdk.api_url, timeout_s=5, deadline_s=10
    )


def test_gateway_satisfies_the_port(gateway):
    port: PaymentGateway = gateway
    assert port is gateway and SECRET not in repr(gateway)


async def test_create_and_get_payment(gateway, sdk):
    created = await gateway.create_payment(command())
    assert created.status is PaymentStatus.PENDING and created.amount == 282_150 and not created.paid
    assert created.confirmation_url.endswith(f"/yookassa/checkout/{created.id}")
    item = sdk.state.payments[created.id].receipt["items"][0]
    assert (item["vat_code"], item["payment_subject"], item["payment_mode"]) == (4, "service", "full_payment")
    assert item["amount"] == {"value": "2821.50", "currency": "RUB"}
    fetched = await gateway.get_payment(created.id)
    assert fetched.metadata["subscription_id"] == "s-1" and fetched.created_at is not None


async def test_idempotency_key_gives_one_payment(gateway, sdk):
    first = await gateway.create_payment(command(idempotency_key="same"))
    second = await gateway.create_payment(command(idempotency_key="same"))
    assert first.id == second.id and len(sdk.state.payments) == 1


async def test_saved_method_renewal_and_refund(gateway, sdk):
    first = await gateway.create_payment(command(save_payment_method=True))
    async with httpx.AsyncClient() as client:
        await client.post(f"{sdk.base}/yookassa/__control/payments/{first.id}/succeed")
    paid = await gateway.get_payment(first.id)
    assert paid.status is PaymentStatus.SUCCEEDED and paid.payment_method_saved and paid.captured_at
    renewal = await gateway.charge_saved_method(
        ChargeSavedMethod(
            amount=282_150,
            description="Автопродление",
            payment_method_id=paid.payment_method_id,
            receipt=RECEIPT,
            idempotency_key="renew-1",
        )
    )
    assert renewal.status is PaymentStatus.SUCCEEDED and renewal.paid
    refund = await gateway.create_refund(
        CreateRefund(payment_id=renewal.id, amount=100_000, idempotency_key="r-1")
    )
    assert refund.status == "succeeded" and refund.amount == 100_000 and refund.payment_id == renewal.id
    assert (await gateway.get_payment(renewal.id)).refunded_amount == 100_000


async def test_errors_are_mapped(gateway, sdk):
    with pytest.raises(PaymentNotFound):
        await gateway.get_payment("2f3e4d5c-000f-5000-8000-1a2b3c4d5e6f")
    with pytest.raises(PaymentNotFound):
        await gateway.get_payment("../refunds")
    wrong = YooKassaGateway(shop_id=SHOP_ID, secret_key="wrong", api_url=sdk.api_url)
    with pytest.raises(PaymentGatewayError, match="ключи магазина") as err:
        await wrong.create_payment(command())
    assert not isinstance(err.value, PaymentGatewayUnavailable) and "invalid_credentials" in err.value.detail
    with pytest.raises(PaymentGatewayError) as err:
        await gateway.create_refund(CreateRefund(payment_id="nope", amount=100, idempotency_key="r-2"))
    with pytest.raises(ValidationError):
        await gateway.create_payment(command(amount=1))  # receipt does not add up: refused before the network


async def test_unreachable_and_silent_servers_are_unavailable():
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    down = YooKassaGateway(shop_id="1", secret_key="s", api_url=f"http://127.0.0.1:{port}/v3", timeout_s=1)
    with pytest.raises(PaymentGatewayUnavailable):
        await down.get_payment("abc")
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen()  # accepts connections, never answers
    try:
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/v3"
        slow = YooKassaGateway(shop_id="1", secret_key="s", api_url=url, timeout_s=0.3, deadline_s=5)
        with pytest.raises(PaymentGatewayUnavailable):
            await slow.get_payment("abc")
    finally:
        silent.close()


def test_notification_parsing():
    body = {
        "type": "notification",
        "event": "payment.succeeded",
        "object": {"id": "p-1", "status": "succeeded"},
    }
    assert notification_object_id(body) == ("payment.succeeded", "p-1")
    with pytest.raises(PaymentGatewayError):
        notification_object_id({"type": "other"})
