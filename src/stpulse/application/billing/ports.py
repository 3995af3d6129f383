"""Billing ports: the payment gateway (YooKassa) and the invoice renderer, with the data they exchange.

Amounts are integer kopecks. Idempotency keys are chosen by the caller and must be stable for one
business intent (e.g. `renew:{subscription_id}:{period_start}`) so a retried job never charges twice.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Protocol

import msgspec

from stpulse.domain.billing.invoice import InvoiceData
from stpulse.domain.kernel.errors import DomainError


class PaymentGatewayError(DomainError):
    """The gateway refused our request or is misconfigured; retrying the same request will not help."""

    status = 502

    def __init__(self, message: str = "Платёжный сервис отклонил запрос", detail: str = "") -> None:
        super().__init__(message)
        self.detail = detail  # the gateway's own description, for logs, never a secret


class PaymentGatewayUnavailable(PaymentGatewayError):
    """Timeout, connection failure, 429 or 5xx: retry later with the same idempotency key."""

    status = 503

    def __init__(
        self, message: str = "Платёжный сервис временно недоступен. Попробуйте позже.", detail: str = ""
    ):
        super().__init__(message, detail)


class PaymentNotFound(PaymentGatewayError):
    status = 404

    def __init__(self, message: str = "Платёж не найден", detail: str = "") -> None:
        super().__init__(message, detail)


class PaymentStatus(StrEnum):
    PENDING = "pending"
    WAITING_FOR_CAPTURE = "waiting_for_capture"
    SUCCEEDED = "succeeded"
    CANCELED = "canceled"


class ReceiptItem(msgspec.Struct, frozen=True, kw_only=True):
    description: str  # up to 128 characters
    price: int  # kopecks per unit
    quantity: int = 1
    vat_rate: int | None = None  # percent; None: «без НДС»
    payment_subject: str = "service"
    payment_mode: str = "full_payment"


class Receipt(msgspec.Struct, frozen=True, kw_only=True):
    """A 54-FZ receipt: the customer's e-mail or phone and the items (their sum equals the payment)."""

    items: tuple[ReceiptItem, ...]
    email: str | None = None
    phone: str | None = None
    tax_system_code: int | None = None  # 1 ОСН, 2 УСН доходы, 3 УСН доходы − расходы, ...

    @property
    def total(self) -> int:
        return sum(item.price * item.quantity for item in self.items)


class CreatePayment(msgspec.Struct, frozen=True, kw_only=True):
    amount: int
    description: str
    return_url: str
    receipt: Receipt
    idempotency_key: str
    metadata: dict[str, str] = msgspec.field(default_factory=dict)
    save_payment_method: bool = False
    capture: bool = True


class ChargeSavedMethod(msgspec.Struct, frozen=True, kw_only=True):
    amount: int
    description: str
    payment_method_id: str
    receipt: Receipt
    idempotency_key: str
    metadata: dict[str, str] = msgspec.field(default_factory=dict)


class CreateRefund(msgspec.Struct, frozen=True, kw_only=True):
    payment_id: str
    amount: int
    idempotency_key: str
    description: str = ""
    receipt: Receipt | None = None


class PaymentInfo(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    status: PaymentStatus
    amount: int
    paid: bool
    metadata: dict[str, str] = msgspec.field(default_factory=dict)
    confirmation_url: str | None = None
    payment_method_id: str | None = None
    payment_method_saved: bool = False
    payment_method_title: str | None = None
    created_at: dt.datetime | None = None
    captured_at: dt.datetime | None = None
    refunded_amount: int = 0
    cancellation_reason: str | None = None
    test: bool = False


class RefundInfo(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    payment_id: str
    status: str
    amount: int
    created_at: dt.datetime | None = None


class PaymentGateway(Protocol):
    async def create_payment(self, command: CreatePayment) -> PaymentInfo: ...
    async def get_payment(self, payment_id: str) -> PaymentInfo: ...
    async def create_refund(self, command: CreateRefund) -> RefundInfo: ...
    async def charge_saved_method(self, command: ChargeSavedMethod) -> PaymentInfo: ...


class InvoiceRenderer(Protocol):
    def render(self, invoice: InvoiceData) -> bytes: ...
