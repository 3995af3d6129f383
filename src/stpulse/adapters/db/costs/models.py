"""Money tables: the ledger mapping, cost-price history, own expenses, API tokens.

The queue of unmapped accrual types is the sync's `ozon_unmapped_types` (models_ozon), read by LedgerRepo."""

from __future__ import annotations

import datetime as dt
import uuid

from advanced_alchemy.base import UUIDv7AuditBase
from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import BigInteger, CheckConstraint, Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from stpulse.adapters.db.base import NaturalKeyBase as Base
from stpulse.adapters.db.checks import month_start, not_negative


class LedgerTypeArticleRow(Base):
    """Ozon accrual type_id → P&L article code (domain.ledger.MAPPABLE); seeded from default_mapping."""

    __tablename__ = "ledger_type_articles"
    type_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    article: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)


class CostPriceRow(UUIDv7AuditBase):
    __tablename__ = "cost_prices"
    __table_args__ = (UniqueConstraint("account_id", "offer_id", "effective_from"),
                      not_negative("purchase", "delivery", "packaging", "marking", name="components_not_negative"))
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    offer_id: Mapped[str] = mapped_column(String(100))
    effective_from: Mapped[dt.date] = mapped_column(Date)
    purchase: Mapped[int] = mapped_column(BigInteger)
    delivery: Mapped[int] = mapped_column(BigInteger, default=0)
    packaging: Mapped[int] = mapped_column(BigInteger, default=0)
    marking: Mapped[int] = mapped_column(BigInteger, default=0)


class OpexEntryRow(UUIDv7AuditBase):
    """A user's own expense for a month, for one shop or (shop_id NULL) the whole account."""

    __tablename__ = "opex_entries"
    __table_args__ = (Index("ix_opex_entries_account_month", "account_id", "month"), month_start("month"),
                      CheckConstraint("amount > 0", name="amount_positive"))  # the form refuses zero and below
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    shop_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"), nullable=True)
    month: Mapped[dt.date] = mapped_column(Date)
    article: Mapped[str] = mapped_column(String(100))
    amount: Mapped[int] = mapped_column(BigInteger)


class ApiTokenRow(UUIDv7AuditBase):
    """A personal API token: only the SHA-256 of the secret is stored."""

    __tablename__ = "api_tokens"
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)
