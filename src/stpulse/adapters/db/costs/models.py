"""Costs tables: the cost-price history and the seller's own expenses."""

from __future__ import annotations

import datetime as dt
import uuid

from advanced_alchemy.base import UUIDv7AuditBase
from sqlalchemy import BigInteger, CheckConstraint, Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from stpulse.adapters.db.checks import month_start, not_negative


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
