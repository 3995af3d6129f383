"""ДДС tables: the user's money accounts, categories and entries (Ozon's side is read from the ledger)."""

from __future__ import annotations

import datetime as dt
import uuid

from advanced_alchemy.base import UUIDv7AuditBase
from sqlalchemy import BigInteger, Boolean, CheckConstraint, Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column


class CashAccountRow(UUIDv7AuditBase):
    __tablename__ = "cash_accounts"
    __table_args__ = (UniqueConstraint("account_id", "name"),)
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(16))
    opening_date: Mapped[dt.date] = mapped_column(Date)
    opening_balance: Mapped[int] = mapped_column(BigInteger)
    receives_payouts: Mapped[bool] = mapped_column(Boolean, default=False)


class CashCategoryRow(UUIDv7AuditBase):
    __tablename__ = "cash_categories"
    __table_args__ = (UniqueConstraint("account_id", "name"),)
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    activity: Mapped[str] = mapped_column(String(16))
    flow: Mapped[str] = mapped_column(String(16))


class CashEntryRow(UUIDv7AuditBase):
    __tablename__ = "cash_entries"
    __table_args__ = (Index("ix_cash_entries_account_date", "account_id", "date"),
                      CheckConstraint("amount > 0", name="amount_positive"))
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    money_account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cash_accounts.id", ondelete="RESTRICT"), index=True)
    category_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cash_categories.id", ondelete="RESTRICT"), index=True)
    date: Mapped[dt.date] = mapped_column(Date)
    amount: Mapped[int] = mapped_column(BigInteger)
    comment: Mapped[str] = mapped_column(String(200), default="")
