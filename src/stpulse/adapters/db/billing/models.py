"""Billing rows: tariffs, subscriptions (their ledger as JSON), payments, promo codes, invoices, trials, webhooks."""

from __future__ import annotations

import datetime as dt
import uuid

from advanced_alchemy.base import UUIDv7AuditBase, UUIDv7Base
from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from stpulse.adapters.db.checks import not_negative, percent


class TariffRow(UUIDv7AuditBase):
    __tablename__ = "tariffs"
    __table_args__ = (not_negative("monthly_price"),
                      not_negative("max_shops", "max_skus", "history_months", name="limits_not_negative"))
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    monthly_price: Mapped[int] = mapped_column(BigInteger)
    max_shops: Mapped[int] = mapped_column(Integer)
    max_skus: Mapped[int] = mapped_column(Integer)
    history_months: Mapped[int] = mapped_column(Integer)
    features: Mapped[str] = mapped_column(Text, default="")  # comma-separated
    period_discounts: Mapped[str] = mapped_column(Text, default="{}")  # JSON {"1": 0, "3": 5, ...}
    assigned_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                                               nullable=True)
    archived: Mapped[bool] = mapped_column(Boolean, default=False)


class SubscriptionRow(UUIDv7AuditBase):
    __tablename__ = "subscriptions"
    __table_args__ = (not_negative("grace_days"),)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    tariff_code: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True))
    grace_days: Mapped[int] = mapped_column(Integer)
    entries: Mapped[str] = mapped_column(Text, default="[]")  # the domain ledger (msgspec JSON)
    status: Mapped[str] = mapped_column(String(16), index=True)
    current_tariff_code: Mapped[str | None] = mapped_column(String(64), nullable=True)
    checked_at: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)
    ends_at: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True, index=True)
    auto_renew: Mapped[bool] = mapped_column(Boolean, default=False)
    payment_method_id: Mapped[str | None] = mapped_column(String(64), nullable=True)


class PaymentRow(UUIDv7AuditBase):
    __tablename__ = "payments"
    __table_args__ = (not_negative("amount", "list_price", name="amounts_not_negative"),
                      not_negative("months", "extra_days", name="periods_not_negative"),
                      CheckConstraint("refunded_amount BETWEEN 0 AND amount", name="refund_within_amount"))
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(16))
    tariff_code: Mapped[str] = mapped_column(String(64))
    months: Mapped[int] = mapped_column(Integer)
    amount: Mapped[int] = mapped_column(BigInteger)
    list_price: Mapped[int] = mapped_column(BigInteger, default=0)
    promo_code: Mapped[str | None] = mapped_column(String(64), nullable=True)
    extra_days: Mapped[int] = mapped_column(Integer, default=0)
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    gateway_id: Mapped[str | None] = mapped_column(String(64), unique=True, nullable=True)
    confirmation_url: Mapped[str | None] = mapped_column(String(500), nullable=True)
    receipt_json: Mapped[str] = mapped_column(Text, default="")
    method_title: Mapped[str | None] = mapped_column(String(120), nullable=True)
    paid_at: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)
    refunded_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    save_method: Mapped[bool] = mapped_column(Boolean, default=False)
    invoice_id: Mapped[uuid.UUID | None] = mapped_column(nullable=True)
    opened_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True))


class PromoCodeRow(UUIDv7AuditBase):
    __tablename__ = "promo_codes"
    __table_args__ = (CheckConstraint("value > 0 AND (kind <> 'percent' OR value <= 100)", name="value_in_range"),
                      CheckConstraint("max_uses_per_user >= 0 AND (max_uses_total IS NULL OR max_uses_total >= 0)",
                                      name="uses_not_negative"))
    code: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    value: Mapped[int] = mapped_column(BigInteger)
    valid_from: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)
    valid_until: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)
    max_uses_total: Mapped[int | None] = mapped_column(Integer, nullable=True)
    max_uses_per_user: Mapped[int] = mapped_column(Integer, default=1)
    tariff_codes: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class PromoUseRow(UUIDv7Base):
    __tablename__ = "promo_uses"
    # a use takes the next numbered slot; two payments racing for the last slot collide on a constraint
    __table_args__ = (UniqueConstraint("code", "payment_id"),
                      UniqueConstraint("code", "user_id", "user_slot", name="uq_promo_uses_user_slot"),
                      UniqueConstraint("code", "total_slot", name="uq_promo_uses_total_slot"))
    code: Mapped[str] = mapped_column(String(64), index=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    payment_id: Mapped[uuid.UUID] = mapped_column()
    user_slot: Mapped[int] = mapped_column(Integer)  # 1..max_uses_per_user
    total_slot: Mapped[int | None] = mapped_column(Integer, nullable=True)  # 1..max_uses_total; None: no limit
    used_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True))


class InvoiceRow(UUIDv7AuditBase):
    __tablename__ = "invoices"
    __table_args__ = (not_negative("amount", "months", name="amount_months_not_negative"), percent("vat_rate", nullable=True),
                      CheckConstraint("number > 0", name="number_positive"))
    number: Mapped[int] = mapped_column(Integer, unique=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    legal_entity_id: Mapped[uuid.UUID] = mapped_column()
    payment_id: Mapped[uuid.UUID] = mapped_column()
    buyer: Mapped[str] = mapped_column(Text)  # requisites snapshot (JSON): the invoice never changes
    tariff_code: Mapped[str] = mapped_column(String(64))
    months: Mapped[int] = mapped_column(Integer)
    amount: Mapped[int] = mapped_column(BigInteger)
    vat_rate: Mapped[int | None] = mapped_column(Integer, nullable=True)
    state: Mapped[str] = mapped_column(String(16))
    issued_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True))
    paid_at: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)


class TrialRow(UUIDv7Base):
    __tablename__ = "trials"
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    started_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True))


class TrialClientRow(UUIDv7Base):
    """One Ozon Client-Id that had a trial: unique, so two trials can never claim it."""

    __tablename__ = "trial_client_ids"
    client_id: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)


class WebhookEventRow(UUIDv7Base):
    __tablename__ = "payment_webhooks"
    received_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True), index=True)
    sender_ip: Mapped[str] = mapped_column(String(64))
    event: Mapped[str] = mapped_column(String(64))
    object_id: Mapped[str] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(32))
    detail: Mapped[str] = mapped_column(String(500), default="")
