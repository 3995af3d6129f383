"""In-memory YooKassa: shops, payments, refunds, saved payment methods, idempotence, webhook log."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import threading
from dataclasses import dataclass, field
from typing import Any

from stpulse.adapters.sandbox.yookassa.errors import invalid, not_found
from stpulse.adapters.sandbox.yookassa.validation import format_amount

TEST_CARD = {
    "first6": "555555",
    "last4": "4444",
    "expiry_year": "2030",
    "expiry_month": "12",
    "card_type": "MasterCard",
    "issuer_country": "RU",
}


def new_id() -> str:
    """A 36-character id shaped like YooKassa's: 2f3e4d5c-000f-5000-8000-1a2b3c4d5e6f."""
    raw = secrets.token_hex(10)
    return f"{raw[:8]}-000f-5000-{secrets.choice('89ab')}{raw[8:11]}-{raw[11:20]}{secrets.token_hex(2)[:3]}"


def iso(moment: dt.datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


@dataclass
class SavedMethod:
    id: str
    active: bool = True

    def to_json(self) -> dict[str, Any]:
        return {
            "type": "bank_card",
            "id": self.id,
            "saved": True,
            "title": "Bank card *4444",
            "card": TEST_CARD,
        }


@dataclass
class SandboxPayment:
    id: str
    shop_id: str
    amount: int
    description: str | None
    metadata: dict[str, str]
    capture: bool
    return_url: str | None
    receipt: dict[str, Any] | None
    save_payment_method: bool
    created_at: dt.datetime
    status: str = "pending"
    method: SavedMethod | None = None
    method_saved: bool = False
    confirmation_url: str | None = None
    captured_amount: int | None = None
    captured_at: dt.datetime | None = None
    refunded: int = 0
    cancellation: dict[str, str] | None = None

    def to_json(self) -> dict[str, Any]:
        answer: dict[str, Any] = {
            "id": self.id,
            "status": self.status,
            "paid": self.status in ("waiting_for_capture", "succeeded"),
            "amount": format_amount(self.amount),
            "created_at": iso(self.created_at),
            "description": self.description,
            "metadata": self.metadata,
            "test": True,
            "recipient": {"account_id": self.shop_id, "gateway_id": self.shop_id},
            "refundable": self.status == "succeeded" and self.refunded < (self.captured_amount or 0),
        }
        if self.status == "succeeded":
            answer["amount"] = format_amount(self.captured_amount or self.amount)
            fee = (self.captured_amount or 0) * 35 // 1000  # 3.5 % acquiring fee
            answer["income_amount"] = format_amount((self.captured_amount or 0) - fee)
            answer["captured_at"] = iso(self.captured_at)
            answer["refunded_amount"] = format_amount(self.refunded)
        if self.status == "waiting_for_capture":
            answer["expires_at"] = iso(self.created_at + dt.timedelta(days=7))
        if self.status == "pending" and self.confirmation_url:
            answer["confirmation"] = {
                "type": "redirect",
                "confirmation_url": self.confirmation_url,
                "return_url": self.return_url,
            }
        if self.method is not None:
            answer["payment_method"] = self.method.to_json() | {"saved": self.method_saved}
        if self.receipt is not None:
            answer["receipt_registration"] = "succeeded" if self.status == "succeeded" else "pending"
        if self.cancellation:
            answer["cancellation_details"] = self.cancellation
        return {k: v for k, v in answer.items() if v is not None}


@dataclass
class SandboxRefund:
    id: str
    payment_id: str
    amount: int
    description: str | None
    created_at: dt.datetime
    receipt: dict[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        answer = {
            "id": self.id,
            "payment_id": self.payment_id,
            "status": "succeeded",
            "amount": format_amount(self.amount),
            "created_at": iso(self.created_at),
            "description": self.description,
        }
        if self.receipt is not None:
            answer["receipt_registration"] = "succeeded"
        return {k: v for k, v in answer.items() if v is not None}


@dataclass
class WebhookDelivery:
    body: dict[str, Any]
    url: str | None
    status_code: int | None = None
    error: str | None = None


@dataclass
class YooKassaState:
    """The whole imitation. `shops` maps shop id → secret key; several shops may share one sandbox."""

    shops: dict[str, str] = field(default_factory=lambda: {"100500": "test_secret"})
    webhook_url: str | None = None
    public_url: str | None = None  # base for confirmation URLs; default: the request's own base URL
    payments: dict[str, SandboxPayment] = field(default_factory=dict)
    refunds: dict[str, SandboxRefund] = field(default_factory=dict)
    methods: dict[str, SavedMethod] = field(default_factory=dict)
    webhooks: list[WebhookDelivery] = field(default_factory=list)
    _idempotence: dict[tuple[str, str], tuple[str, int, dict[str, Any]]] = field(default_factory=dict)
    lock: threading.RLock = field(default_factory=threading.RLock)

    def reset(self) -> None:
        with self.lock:
            for store in (self.payments, self.refunds, self.methods, self._idempotence):
                store.clear()
            self.webhooks.clear()

    # --- idempotence -------------------------------------------------------------------------------------
    def remembered(self, shop_id: str, key: str, fingerprint: str) -> tuple[int, dict[str, Any]] | None:
        cached = self._idempotence.get((shop_id, key))
        if cached is None:
            return None
        if cached[0] != fingerprint:
            raise invalid("Idempotence key duplicated with different request parameters", "Idempotence-Key")
        return cached[1], cached[2]

    def remember(self, shop_id: str, key: str, fingerprint: str, status: int, body: dict[str, Any]) -> None:
        self._idempotence[(shop_id, key)] = (fingerprint, status, body)

    @staticmethod
    def fingerprint(method: str, path: str, body: bytes) -> str:
        return hashlib.sha256(method.encode() + b" " + path.encode() + b"\n" + body).hexdigest()

    # --- lookups -----------------------------------------------------------------------------------------
    def payment(self, payment_id: str, shop_id: str | None = None) -> SandboxPayment:
        found = self.payments.get(payment_id)
        if found is None or (shop_id is not None and found.shop_id != shop_id):
            raise not_found(f"Payment {payment_id} not found")
        return found

    def refund(self, refund_id: str, shop_id: str) -> SandboxRefund:
        found = self.refunds.get(refund_id)
        if found is None or self.payments[found.payment_id].shop_id != shop_id:
            raise not_found(f"Refund {refund_id} not found")
        return found
