"""What billing stores besides the domain's tariffs, subscriptions and promo codes, and the repository ports.

A payment here is *our* record of one intent to pay (card checkout, auto-renewal, invoice, a free period):
its idempotency key is chosen before the gateway is called, so a retried request never charges twice.
"""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum
from typing import Protocol

import msgspec

from stpulse.domain.billing import PromoCode, Requisites, Subscription, Tariff, TrialRecord


class PaymentKind(StrEnum):
    CARD = "card"  # checkout on YooKassa's page
    RENEWAL = "renewal"  # charged from a saved method
    INVOICE = "invoice"  # bank transfer by a счёт, marked paid by an admin
    FREE = "free"  # a promo code made the period free


class PaymentState(StrEnum):
    PENDING = "pending"
    SUCCEEDED = "succeeded"
    CANCELED = "canceled"
    REFUNDED = "refunded"


PAYMENT_STATE_TITLES = {
    PaymentState.PENDING: "Ожидает оплаты",
    PaymentState.SUCCEEDED: "Оплачен",
    PaymentState.CANCELED: "Отменён",
    PaymentState.REFUNDED: "Возвращён",
}
PAYMENT_KIND_TITLES = {
    PaymentKind.CARD: "Карта / СБП",
    PaymentKind.RENEWAL: "Автопродление",
    PaymentKind.INVOICE: "Счёт",
    PaymentKind.FREE: "Промокод",
}


class PaymentRecord(msgspec.Struct, frozen=True, kw_only=True):
    id: uuid.UUID
    user_id: uuid.UUID
    kind: PaymentKind
    tariff_code: str
    months: int
    amount: int  # kopecks to pay
    idempotency_key: str
    created_at: dt.datetime
    state: PaymentState = PaymentState.PENDING
    list_price: int = 0  # before the promo
    promo_code: str | None = None
    extra_days: int = 0
    gateway_id: str | None = None  # YooKassa's 36-character payment id
    confirmation_url: str | None = None
    receipt_json: str = ""  # the 54-FZ receipt we sent (msgspec JSON of billing_ports.Receipt)
    method_title: str | None = None
    paid_at: dt.datetime | None = None
    refunded_amount: int = 0
    save_method: bool = False
    invoice_id: uuid.UUID | None = None

    @property
    def ledger_id(self) -> str:
        """The id the subscription ledger knows this payment by."""
        return self.gateway_id or f"stp-{self.id}"

    @property
    def state_title(self) -> str:
        return PAYMENT_STATE_TITLES[self.state]

    @property
    def kind_title(self) -> str:
        return PAYMENT_KIND_TITLES[self.kind]


class InvoiceState(StrEnum):
    ISSUED = "issued"
    PAID = "paid"
    CANCELED = "canceled"


class InvoiceRecord(msgspec.Struct, frozen=True, kw_only=True):
    id: uuid.UUID
    number: int
    user_id: uuid.UUID
    account_id: uuid.UUID
    legal_entity_id: uuid.UUID
    payment_id: uuid.UUID
    buyer: Requisites
    tariff_code: str
    months: int
    amount: int
    vat_rate: int | None
    created_at: dt.datetime
    state: InvoiceState = InvoiceState.ISSUED
    paid_at: dt.datetime | None = None


class WebhookEvent(msgspec.Struct, frozen=True, kw_only=True):
    """Every notification we received, with what we did about it (refused ones included)."""

    received_at: dt.datetime
    sender_ip: str
    event: str
    object_id: str
    outcome: str  # applied | duplicate | refused_ip | contradicted | unknown | ignored | malformed
    detail: str = ""


class StoredPromo(msgspec.Struct, frozen=True, kw_only=True):
    promo: PromoCode
    active: bool = True
    uses: int = 0
    created_at: dt.datetime | None = None


class PaymentQuery(msgspec.Struct, frozen=True, kw_only=True):
    """The admin's filter over every payment; `since`/`until` bound `created_at` (until exclusive)."""

    state: PaymentState | None = None
    tariff_code: str = ""
    since: dt.datetime | None = None
    until: dt.datetime | None = None


class PaymentTotals(msgspec.Struct, frozen=True, kw_only=True):
    count: int = 0
    amount: int = 0  # kopecks, every matching payment
    paid: int = 0  # kopecks of the succeeded and refunded ones, minus what was returned
    refunded: int = 0


class TariffRepository(Protocol):
    async def all(self) -> list[Tariff]: ...
    async def get(self, code: str) -> Tariff | None: ...
    async def save(self, tariff: Tariff) -> None: ...


class SubscriptionRepository(Protocol):
    async def get(self, user_id: uuid.UUID, *, for_update: bool = False) -> Subscription | None: ...
    async def of_account(self, account_id: uuid.UUID) -> Subscription | None:
        """The subscription of the account's owner, in one read (None: no such account or no subscription)."""
    async def save(self, subscription: Subscription) -> None: ...
    async def for_users(self, user_ids: list[uuid.UUID]) -> dict[uuid.UUID, Subscription]: ...
    async def renewable(self, before: dt.datetime) -> list[Subscription]: ...
    async def to_refresh(self, now: dt.datetime) -> list[Subscription]: ...
    async def all(self) -> list[Subscription]: ...


class PaymentRepository(Protocol):
    async def add(self, payment: PaymentRecord) -> None: ...
    async def update(self, payment: PaymentRecord) -> None: ...
    async def get(self, payment_id: uuid.UUID, *, for_update: bool = False) -> PaymentRecord | None: ...
    async def by_gateway_id(self, gateway_id: str) -> PaymentRecord | None: ...
    async def by_key(self, idempotency_key: str) -> PaymentRecord | None: ...
    async def for_user(self, user_id: uuid.UUID) -> list[PaymentRecord]: ...
    async def search(self, query: PaymentQuery, offset: int, limit: int) -> tuple[list[PaymentRecord], PaymentTotals]:
        """A page of the matching payments, newest first, and the totals over all of them."""


class PromoRepository(Protocol):
    async def get(self, code: str) -> StoredPromo | None: ...
    async def save(self, promo: PromoCode, active: bool = True) -> None: ...
    async def all(self) -> list[StoredPromo]: ...
    async def uses(self, code: str, user_id: uuid.UUID | None = None) -> int: ...
    async def reserve_use(self, promo: PromoCode, user_id: uuid.UUID, payment_id: uuid.UUID, at: dt.datetime) -> bool:
        """Take the next use of the code within its per-user and total limits, atomically (a unique slot, not
        a read-then-write); False when no use is left. Idempotent per payment."""


class InvoiceRepository(Protocol):
    async def add(self, invoice: InvoiceRecord) -> None: ...
    async def update(self, invoice: InvoiceRecord) -> None: ...
    async def get(self, invoice_id: uuid.UUID) -> InvoiceRecord | None: ...
    async def next_number(self) -> int: ...
    async def for_user(self, user_id: uuid.UUID) -> list[InvoiceRecord]: ...


class TrialRepository(Protocol):
    async def add(self, record: TrialRecord) -> None: ...
    async def matching(self, user_id: uuid.UUID, client_ids: frozenset[str]) -> list[TrialRecord]: ...
    async def add_client_id(self, user_id: uuid.UUID, client_id: str) -> None: ...


class WebhookLog(Protocol):
    async def add(self, event: WebhookEvent) -> None: ...
    async def recent(self, limit: int) -> list[WebhookEvent]: ...


YOOKASSA_NETWORKS = (  # YooKassa's published notification senders
    "185.71.76.0/27", "185.71.77.0/27", "77.75.153.0/25", "77.75.156.11/32", "77.75.156.35/32",
    "77.75.154.128/25", "2a02:5180::/32",
)
DEFAULT_SUPPLIER = Requisites(
    name="ООО «СТПульс»", inn="7701234560", kpp="770101001", address="г. Москва, ул. Тверская, д. 1",
    bank="АО «Тест-Банк»", bik="044525225", account="40702810900000000001", corr_account="30101810400000000225",
)


class BillingConfig(msgspec.Struct, frozen=True, kw_only=True):
    trial_days: int = 14
    grace_days: int = 3
    vat_rate: int | None = None  # None: «Без НДС» (the supplier is on УСН)
    tax_system_code: int | None = 2
    supplier: Requisites = DEFAULT_SUPPLIER
    webhook_networks: tuple[str, ...] = YOOKASSA_NETWORKS
    renew_before_hours: int = 24
    invoice_days: int = 5  # pay within
