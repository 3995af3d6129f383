"""What the billing use cases receive."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from stpulse.application.accounts.ports import (
    AccountRepository,
    LegalEntityRepository,
    MembershipRepository,
    UserRepository,
)
from stpulse.application.billing.ports import InvoiceRenderer, PaymentGateway
from stpulse.application.billing.records import (
    BillingConfig,
    InvoiceRepository,
    PaymentRepository,
    PromoRepository,
    SubscriptionRepository,
    TariffRepository,
    TrialRepository,
    WebhookLog,
)
from stpulse.application.kernel.deps import AppConfig
from stpulse.application.kernel.ports import AuditRepository, Clock, OutboxRepository, Transaction
from stpulse.application.ledger.ports import ShopRepository


class BillingUnitOfWork(Transaction, Protocol):
    @property
    def tariffs(self) -> TariffRepository: ...
    @property
    def subscriptions(self) -> SubscriptionRepository: ...
    @property
    def payments(self) -> PaymentRepository: ...
    @property
    def promos(self) -> PromoRepository: ...
    @property
    def invoices(self) -> InvoiceRepository: ...
    @property
    def trials(self) -> TrialRepository: ...
    @property
    def webhooks(self) -> WebhookLog: ...
    @property
    def users(self) -> UserRepository: ...
    @property
    def accounts(self) -> AccountRepository: ...
    @property
    def legal_entities(self) -> LegalEntityRepository: ...
    @property
    def shops(self) -> ShopRepository: ...
    @property
    def audit(self) -> AuditRepository: ...
    @property
    def memberships(self) -> MembershipRepository: ...
    @property
    def outbox(self) -> OutboxRepository: ...


class BillingDeps(Protocol):
    @property
    def uow(self) -> Callable[[], BillingUnitOfWork]: ...
    @property
    def clock(self) -> Clock: ...
    @property
    def config(self) -> AppConfig: ...
    @property
    def billing(self) -> BillingConfig: ...
    @property
    def payments(self) -> PaymentGateway | None: ...
    @property
    def invoice_renderer(self) -> InvoiceRenderer | None: ...
