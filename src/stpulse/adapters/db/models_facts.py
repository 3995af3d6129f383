"""Normalised Ozon facts and the rollups reports read. Shared contract of the sync (writer) and reports (reader);
see docs/rollups.md."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import BigInteger, Date, ForeignKey, Index, Integer, LargeBinary, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from stpulse.adapters.db.base import NaturalKeyBase as Base


class AccrualLineRow(Base):
    """One normalised accrual line (stpulse.domain.accruals.AccrualLine) of one shop."""

    __tablename__ = "accrual_lines"
    __table_args__ = (Index("ix_accrual_lines_shop_date", "shop_id", "date"),
                      Index("ix_accrual_lines_shop_asked_day", "shop_id", "asked_day"))
    shop_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"), primary_key=True)
    accrual_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    line_no: Mapped[int] = mapped_column(Integer, primary_key=True)
    date: Mapped[dt.date] = mapped_column(Date)
    category: Mapped[str] = mapped_column(String(16))
    unit_number: Mapped[str | None] = mapped_column(String(64), nullable=True)
    sku: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    component: Mapped[str] = mapped_column(String(16))
    type_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    amount: Mapped[int] = mapped_column(BigInteger)
    quantity: Mapped[int] = mapped_column(Integer, default=0)
    delivery_schema: Mapped[str | None] = mapped_column(String(16), nullable=True)
    asked_day: Mapped[dt.date] = mapped_column(Date)  # the day whose answer carried it (Ozon may date it otherwise)


class DailyRollupRow(Base):
    """Σ of amounts and units per shop, day, SKU (0 = shop-level) and article index (stpulse.domain.ledger)."""

    __tablename__ = "sku_daily_rollups"
    shop_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    sku: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    article: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    amount: Mapped[int] = mapped_column(BigInteger)
    quantity: Mapped[int] = mapped_column(BigInteger, default=0)


class MonthlyRollupRow(Base):
    """The same sums per calendar month (month = its first day), rebuilt from the daily rows of touched months."""

    __tablename__ = "sku_monthly_rollups"
    shop_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"), primary_key=True)
    month: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    sku: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    article: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    amount: Mapped[int] = mapped_column(BigInteger)
    quantity: Mapped[int] = mapped_column(BigInteger, default=0)


class MonthlyPackRow(Base):
    """Every monthly rollup row of one (shop, month) packed into one binary string (adapters/db/rollup_packs.py).

    Rewritten with a fresh `stamp` whenever the month's monthly rows are rebuilt; reports cache by the stamp."""

    __tablename__ = "sku_monthly_packs"
    shop_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"), primary_key=True)
    month: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    stamp: Mapped[int] = mapped_column(BigInteger)
    rows: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)
