"""The real `yookassa` SDK against the sandbox over real HTTP."""

import uuid

import httpx
import pytest
from yookassa import Configuration, Payment, Refund
from yookassa.domain.exceptions import BadRequestError, NotFoundError, UnauthorizedError

from tests.unit.yookassa_sandbox.server import SECRET, SHOP_ID

RECEIPT = {
    "customer": {"email": "seller@example.ru"},
    "items": [
        {
            "description": "Подписка STPulse «Профи», 1 месяц",
            "quantity": "1.00",
            "amount": {"value": "990.00", "currency": "RUB"},
            "vat_code": 1,
            "payment_subject": "service",
            "payment_mode": "full_payment",
        }
    ],
}


def payment_params(**overrides):
    params = {
        "amount": {"value": "990.00", "currency": "RUB"},
        "confirmation": {"type": "redirect", "return_url": "https://stpulse.example/billing/return"},
        "capture": True,
        "description": "Подписка STPulse «Профи»",
        "metadata": {"subscription_id": "42"},
        "receipt": RECEIPT,
    }
    return params | overrides


def test_create_fetch_and_pay_through_the_checkout_page(sdk):
    created = Payment.create(payment_params())
    assert len(created.id) == 36 and created.status == "pending" and not created.paid
    assert created.confirmation.confirmation_url == f"{sdk.base}/yookassa/checkout/{created.id}"
    fetched = Payment.find_one(created.id)
    assert fetched.amount.value == 990 and fetched.metadata["subscription_id"] == "42"

    page = httpx.get(created.confirmation.confirmation_url)
    assert "Оплатить" in page.text and "Отменить" in page.text and "990,00" in page.text
    answer = httpx.post(f"{created.confirmation.confirmation_url}/pay")
    assert answer.status_code == 303
    assert answer.headers["location"] == "https://stpulse.example/billing/return"

    paid = Payment.find_one(created.id)
    assert paid.status == "succeeded" and paid.paid and paid.receipt_registration == "succeeded"
    assert paid.payment_method.saved is False
    [hook] = sdk.received
    assert hook["type"] == "notification" and hook["event"] == "payment.succeeded"
    assert hook["object"]["id"] == created.id and hook["object"]["amount"]["value"] == "990.00"


def test_buyer_cancels_on_checkout_page(sdk):
    created = Payment.create(payment_params())
    httpx.post(f"{sdk.base}/yookassa/checkout/{created.id}/cancel")
    canceled = Payment.find_one(created.id)
    assert canceled.status == "canceled"
    assert canceled.cancellation_details.reason == "expired_on_confirmation"
    assert sdk.received[0]["event"] == "payment.canceled"


def test_two_stage_payment_capture_and_cancel(sdk):
    first = Payment.create(payment_params(capture=False))
    control = httpx.post(f"{sdk.base}/yookassa/__control/payments/{first.id}/succeed").json()
    assert control["status"] == "waiting_for_capture"
    captured = Payment.capture(first.id, {"amount": {"value": "990.00", "currency": "RUB"}})
    assert captured.status == "succeeded"
    second = Payment.create(payment_params(capture=False))
    httpx.post(f"{sdk.base}/yookassa/__control/payments/{second.id}/succeed")
    assert Payment.cancel(second.id).status == "canceled"
    events = [h["event"] for h in sdk.wait_for_webhooks(4)]
    assert events.count("payment.waiting_for_capture") == 2
    assert "payment.succeeded" in events and "payment.canceled" in events


def test_refund(sdk):
    created = Payment.create(payment_params())
    httpx.post(f"{sdk.base}/yookassa/__control/payments/{created.id}/succeed")
    refund = Refund.create({"payment_id": created.id, "amount": {"value": "500.00", "currency": "RUB"}})
    assert refund.status == "succeeded" and len(refund.id) == 36
    assert Refund.find_one(refund.id).amount.value == 500
    assert Payment.find_one(created.id).refunded_amount.value == 500
    with pytest.raises(BadRequestError) as err:
        Refund.create({"payment_id": created.id, "amount": {"value": "490.01", "currency": "RUB"}})
    assert err.value.content["parameter"] == "amount.value"
    assert sdk.wait_for_webhooks(2)[-1]["event"] == "refund.succeeded"


def test_saved_method_auto_charge_and_revocation(sdk):
    first = Payment.create(payment_params(save_payment_method=True))
    httpx.post(f"{sdk.base}/yookassa/__control/payments/{first.id}/succeed")
    method = Payment.find_one(first.id).payment_method
    assert method.saved is True and method.card.last4 == "4444"

    renewal = Payment.create(
        {
            "amount": {"value": "990.00", "currency": "RUB"},
            "capture": True,
            "payment_method_id": method.id,
            "description": "Автопродление",
            "receipt": RECEIPT,
        }
    )
    assert renewal.status == "succeeded" and renewal.paid and renewal.confirmation is None
    assert sdk.wait_for_webhooks(2)[-1]["object"]["id"] == renewal.id

    httpx.post(f"{sdk.base}/yookassa/__control/payment_methods/{method.id}/revoke")
    declined = Payment.create(
        {"amount": {"value": "990.00", "currency": "RUB"}, "payment_method_id": method.id}
    )
    assert declined.status == "canceled" and declined.cancellation_details.reason == "permission_revoked"


def test_unsaved_method_cannot_be_charged(sdk):
    first = Payment.create(payment_params())
    httpx.post(f"{sdk.base}/yookassa/__control/payments/{first.id}/succeed")
    with pytest.raises(BadRequestError) as err:
        Payment.create({"amount": {"value": "1.00", "currency": "RUB"}, "payment_method_id": first.id})
    assert err.value.content["parameter"] == "payment_method_id"


def test_receipt_sum_must_equal_amount(sdk):
    with pytest.raises(BadRequestError) as err:
        Payment.create(payment_params(amount={"value": "1000.00", "currency": "RUB"}))
    content = err.value.content
    assert content["type"] == "error" and content["code"] == "invalid_request"
    assert content["parameter"] == "receipt.items" and "doesn't match" in content["description"]


@pytest.mark.parametrize(
    ("item_patch", "parameter"),
    [
        ({"vat_code": 99}, "receipt.items[0].vat_code"),
        ({"payment_subject": "spaceship"}, "receipt.items[0].payment_subject"),
        ({"payment_mode": "later"}, "receipt.items[0].payment_mode"),
    ],
)
def test_receipt_item_checks(sdk, item_patch, parameter):
    receipt = {**RECEIPT, "items": [RECEIPT["items"][0] | item_patch]}
    with pytest.raises(BadRequestError) as err:
        Payment.create(payment_params(receipt=receipt))
    assert err.value.content["parameter"] == parameter


def test_wrong_secret_is_401(sdk):
    Configuration.configure(SHOP_ID, "wrong", api_url=sdk.api_url)
    with pytest.raises(UnauthorizedError) as err:
        Payment.create(payment_params())
    assert err.value.content["code"] == "invalid_credentials"
    Configuration.configure(SHOP_ID, SECRET, api_url=sdk.api_url)


def test_unknown_payment_is_404(sdk):
    with pytest.raises(NotFoundError) as err:
        Payment.find_one(str(uuid.uuid4()))
    assert err.value.content["code"] == "not_found"


def test_idempotence_key(sdk):
    key = str(uuid.uuid4())
    first = Payment.create(payment_params(), key)
    again = Payment.create(payment_params(), key)
    assert again.id == first.id and len(sdk.state.payments) == 1
    with pytest.raises(BadRequestError) as err:
        Payment.create(payment_params(description="другое"), key)
    assert err.value.content["parameter"] == "Idempotence-Key"


def test_missing_idempotence_key_and_bad_json(sdk):
    auth = (SHOP_ID, SECRET)
    answer = httpx.post(f"{sdk.api_url}/payments", auth=auth, json=payment_params())
    assert answer.status_code == 400 and answer.json()["parameter"] == "Idempotence-Key"
    answer = httpx.post(f"{sdk.api_url}/payments", auth=auth, content=b"{", headers={"Idempotence-Key": "k"})
    assert answer.status_code == 400 and answer.json()["type"] == "error"


def test_webhook_log_and_replay(sdk):
    sdk.state.webhook_url = "http://127.0.0.1:9/unreachable"
    created = Payment.create(payment_params())
    httpx.post(f"{sdk.base}/yookassa/__control/payments/{created.id}/succeed")
    log = httpx.get(f"{sdk.base}/yookassa/__control/webhooks").json()
    assert log[0]["event"] == "payment.succeeded" and log[0]["error"]
    control = f"{sdk.base}/yookassa/__control"
    httpx.post(f"{control}/webhook", json={"url": f"{sdk.base}/hook"})
    replayed = httpx.post(f"{control}/webhooks/replay", json={}).json()
    assert replayed[0]["status_code"] == 200
    assert sdk.received[0]["object"]["id"] == created.id
    httpx.post(f"{control}/webhooks/replay", json={"object_id": created.id})
    assert len(sdk.received) == 2  # replays are real duplicates: the receiver must be idempotent
