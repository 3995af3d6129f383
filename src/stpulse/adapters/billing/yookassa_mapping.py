"""Translation between the billing ports' structs and YooKassa's JSON (receipts, payments, refunds)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from stpulse.application.billing.ports import (
    ChargeSavedMethod,
    CreatePayment,
    CreateRefund,
    PaymentInfo,
    PaymentStatus,
    Receipt,
    RefundInfo,
)
from stpulse.domain.kernel.errors import ValidationError
from stpulse.domain.kernel.money import kopecks_from_decimal

# VAT rate in percent → YooKassa `vat_code`; None is «без НДС».
VAT_CODES: dict[int | None, int] = {None: 1, 0: 2, 10: 3, 20: 4, 5: 7, 7: 8, 22: 11}


def amount_json(kopecks: int) -> dict[str, str]:
    return {"value": f"{kopecks // 100}.{kopecks % 100:02d}", "currency": "RUB"}


def vat_code(rate: int | None) -> int:
    if rate not in VAT_CODES:
        raise ValidationError({"vat_rate": f"Ставка НДС {rate}% не поддерживается в чеке"})
    return VAT_CODES[rate]


def receipt_json(receipt: Receipt, amount: int) -> dict[str, Any]:
    if receipt.total != amount:
        raise ValidationError({"receipt": "Сумма позиций чека не равна сумме платежа"})
    if not (receipt.email or receipt.phone):
        raise ValidationError({"receipt": "Для чека нужен e-mail или телефон покупателя"})
    customer = {k: v for k, v in (("email", receipt.email), ("phone", receipt.phone)) if v}
    answer: dict[str, Any] = {
        "customer": customer,
        "items": [
            {
                "description": item.description[:128],
                "quantity": f"{item.quantity}.00",
                "amount": amount_json(item.price),
                "vat_code": vat_code(item.vat_rate),
                "payment_subject": item.payment_subject,
                "payment_mode": item.payment_mode,
            }
            for item in receipt.items
        ],
    }
    if receipt.tax_system_code is not None:
        answer["tax_system_code"] = receipt.tax_system_code
    return answer


def payment_request(command: CreatePayment) -> dict[str, Any]:
    return {
        "amount": amount_json(command.amount),
        "capture": command.capture,
        "confirmation": {"type": "redirect", "return_url": command.return_url},
        "description": command.description[:128],
        "metadata": dict(command.metadata),
        "receipt": receipt_json(command.receipt, command.amount),
        "save_payment_method": command.save_payment_method,
    }


def charge_request(command: ChargeSavedMethod) -> dict[str, Any]:
    return {
        "amount": amount_json(command.amount),
        "capture": True,
        "payment_method_id": command.payment_method_id,
        "description": command.description[:128],
        "metadata": dict(command.metadata),
        "receipt": receipt_json(command.receipt, command.amount),
    }


def refund_request(command: CreateRefund) -> dict[str, Any]:
    body: dict[str, Any] = {"payment_id": command.payment_id, "amount": amount_json(command.amount)}
    if command.description:
        body["description"] = command.description[:250]
    if command.receipt is not None:
        body["receipt"] = receipt_json(command.receipt, command.amount)
    return body


def _kopecks(amount: dict[str, Any] | None) -> int:
    return kopecks_from_decimal(str(amount["value"])) if amount else 0


def _moment(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


def payment_info(raw: dict[str, Any]) -> PaymentInfo:
    method = raw.get("payment_method") or {}
    confirmation = raw.get("confirmation") or {}
    return PaymentInfo(
        id=raw["id"],
        status=PaymentStatus(raw["status"]),
        amount=_kopecks(raw.get("amount")),
        paid=bool(raw.get("paid")),
        metadata={str(k): str(v) for k, v in (raw.get("metadata") or {}).items()},
        confirmation_url=confirmation.get("confirmation_url"),
        payment_method_id=method.get("id"),
        payment_method_saved=bool(method.get("saved")),
        payment_method_title=method.get("title"),
        created_at=_moment(raw.get("created_at")),
        captured_at=_moment(raw.get("captured_at")),
        refunded_amount=_kopecks(raw.get("refunded_amount")),
        cancellation_reason=(raw.get("cancellation_details") or {}).get("reason"),
        test=bool(raw.get("test")),
    )


def refund_info(raw: dict[str, Any]) -> RefundInfo:
    return RefundInfo(
        id=raw["id"],
        payment_id=raw["payment_id"],
        status=raw["status"],
        amount=_kopecks(raw.get("amount")),
        created_at=_moment(raw.get("created_at")),
    )
