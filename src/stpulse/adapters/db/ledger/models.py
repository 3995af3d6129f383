"""Normalised Ozon facts and the rollups reports read. Shared contract of the sync (writer) and reports (reader);
see docs/rollups.md."""

from __future__ import annotations

import datetime as dt
import uuid

from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from stpulse.adapters.db.base import NaturalKeyBase as Base
from stpulse.adapters.db.checks import month_start, not_negative, ordered

_SALES = "component = 'sale' AND amount > 0"  # a return finds its sale through this partial index
_RETURNS = "component = 'sale' AND amount < 0"


class AccrualLineRow(Base):
    """One normalised accrual line (stpulse.domain.ledger.accruals.AccrualLine) of one shop."""

    __tablename__ = "accrual_lines"
    __table_args__ = (Index("ix_accrual_lines_shop_date", "shop_id", "date"),
                      Index("ix_accrual_lines_shop_asked_day", "shop_id", "asked_day"),
                      Index("ix_accrual_lines_shop_posting", "shop_id", "unit_number"),
                      Index("ix_accrual_lines_shop_sku_date", "shop_id", "sku", "date"),
                      Index("ix_accrual_lines_shop_unit", "shop_id", "unit_number", "sku", "date",
                            postgresql_where=text(_SALES), sqlite_where=text(_SALES)),
                      Index("ix_accrual_lines_shop_returns", "shop_id", "date", "sku", "unit_number", "quantity",
                            postgresql_where=text(_RETURNS), sqlite_where=text(_RETURNS)))
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
    __table_args__ = (not_negative("quantity"),)
    shop_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    sku: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    article: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    amount: Mapped[int] = mapped_column(BigInteger)
    quantity: Mapped[int] = mapped_column(BigInteger, default=0)


class MonthlyRollupRow(Base):
    """The same sums per calendar month (month = its first day), rebuilt from the daily rows of touched months."""

    __tablename__ = "sku_monthly_rollups"
    __table_args__ = (not_negative("quantity"), month_start("month"))
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
    __table_args__ = (not_negative("rows"), month_start("month"))
    shop_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"), primary_key=True)
    month: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    stamp: Mapped[int] = mapped_column(BigInteger)
    rows: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class ProductRow(Base):
    """The shop's catalogue as the sync last read it: what reports name SKUs by."""

    __tablename__ = "ozon_products"
    shop_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"), primary_key=True)
    product_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    offer_id: Mapped[str] = mapped_column(String(128))
    sku: Mapped[int] = mapped_column(BigInteger)
    name: Mapped[str] = mapped_column(String(500))
    barcodes: Mapped[str] = mapped_column(String(1000))
    price: Mapped[int] = mapped_column(BigInteger)
    archived: Mapped[bool] = mapped_column(Boolean)
    raw: Mapped[bytes] = mapped_column(LargeBinary)


class LedgerRemapRow(Base):
    """An admin's mapping change of one type and how far the recalculation of its stored months has come."""

    __tablename__ = "ledger_remaps"
    type_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    article: Mapped[str] = mapped_column(String(64))
    was_unmapped: Mapped[bool] = mapped_column(Boolean)
    months_done: Mapped[int] = mapped_column(Integer)
    months_total: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True))
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)


class LedgerTypeArticleRow(Base):
    """Ozon accrual type_id → P&L article code (domain.ledger.MAPPABLE); seeded from default_mapping."""

    __tablename__ = "ledger_type_articles"
    type_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    article: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)


class UnmappedTypeRow(Base):
    """An accrual type the ledger mapping does not know (fell to «Прочие начисления»), per shop. -1 = no type."""

    __tablename__ = "ozon_unmapped_types"
    __table_args__ = (not_negative("lines"), ordered("first_seen", "last_seen"))
    shop_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"), primary_key=True)
    type_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    first_seen: Mapped[dt.date] = mapped_column(Date)
    last_seen: Mapped[dt.date] = mapped_column(Date)
    lines: Mapped[int] = mapped_column(BigInteger)


class AccrualTypeNameRow(Base):
    """Ozon's name and description of an accrual type (/v1/finance/accrual/types), read by the sync once a day."""

    __tablename__ = "ozon_accrual_types"
    type_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(String(500))
    fetched_on: Mapped[dt.date] = mapped_column(Date)  # the Moscow day of the answer that named it last


class BuyoutLineRow(Base):
    """A line of /v1/finance/products/buyout (goods bought out by Ozon; written by the sync, read by «Выкупы
    Озоном»): one per posting and SKU, dated by the day whose answer carried it (the API gives no date per line).
    Raw as sent, compressed."""

    __tablename__ = "ozon_buyouts"
    __table_args__ = (Index("ix_ozon_buyouts_shop_day", "shop_id", "day"), not_negative("quantity"))
    shop_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"), primary_key=True)
    posting_number: Mapped[str] = mapped_column(String(64), primary_key=True)
    sku: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date)
    offer_id: Mapped[str] = mapped_column(String(128))
    name: Mapped[str] = mapped_column(String(500))
    quantity: Mapped[int] = mapped_column(Integer)
    seller_price: Mapped[int] = mapped_column(BigInteger)  # kopecks per unit, the seller's price after discount
    buyout_price: Mapped[int] = mapped_column(BigInteger)  # kopecks per unit, with VAT
    amount: Mapped[int] = mapped_column(BigInteger)  # kopecks credited to the seller
    vat_percent: Mapped[int] = mapped_column(Integer)
    raw: Mapped[bytes] = mapped_column(LargeBinary)


class PostingItemRow(Base):
    """One product line of a posting (what «Операционка» counts): created on a Moscow day, its status now."""

    __tablename__ = "ozon_posting_items"
    __table_args__ = (Index("ix_ozon_posting_items_shop_day", "shop_id", "created_day", "sku"),
                      Index("ix_ozon_posting_items_shop_sku_day", "shop_id", "sku", "created_day",  # by-day estimate
                            postgresql_include=["status", "quantity", "price"]),
                      not_negative("quantity", "price"))
    shop_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"), primary_key=True)
    posting_number: Mapped[str] = mapped_column(String(64), primary_key=True)
    line: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    sku: Mapped[int] = mapped_column(BigInteger)
    created_day: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(64))
    quantity: Mapped[int] = mapped_column(Integer)
    price: Mapped[int] = mapped_column(BigInteger)  # seller price per unit, kopecks


class OrderMonthRow(Base):
    """The posting lines summed per shop, month of their Moscow creation day (its first day) and SKU: all lines
    ordered and the cancelled ones among them, units and kopecks. Rebuilt from `ozon_posting_items` for every month
    a postings write touches, in its transaction (adapters/db/ozon/order_months.py), so it always equals the lines."""

    __tablename__ = "ozon_order_months"
    __table_args__ = (not_negative("ordered_units", "ordered_amount", "cancelled_units", "cancelled_amount",
                                   name="counts_not_negative"),
                      ordered("cancelled_units", "ordered_units"), month_start("month"))
    shop_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"), primary_key=True)
    month: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    sku: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    ordered_units: Mapped[int] = mapped_column(BigInteger)
    ordered_amount: Mapped[int] = mapped_column(BigInteger)  # Σ quantity × price, kopecks
    cancelled_units: Mapped[int] = mapped_column(BigInteger)
    cancelled_amount: Mapped[int] = mapped_column(BigInteger)


class FactStampRow(Base):
    """A random stamp per shop and source (postings, returns, stocks), renewed by every write of that source:
    the finished-table cache keys of the reports that read them change with it."""

    __tablename__ = "ozon_fact_stamps"
    shop_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"), primary_key=True)
    source: Mapped[str] = mapped_column(String(32), primary_key=True)
    stamp: Mapped[int] = mapped_column(BigInteger)
