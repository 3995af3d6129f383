"""Ozon sync storage: what Ozon said (raw, compressed) next to normalised facts, sync runs, unmapped types.

Written by the sync in bulk on natural keys (see adapters/db/bulk.py); never one ORM object per row.
"""

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
)
from sqlalchemy.orm import Mapped, mapped_column

from stpulse.adapters.db.base import NaturalKeyBase as Base
from stpulse.adapters.db.checks import not_negative, ordered, percent


def _shop_pk() -> Mapped[uuid.UUID]:
    return mapped_column(ForeignKey("shops.id", ondelete="CASCADE"), primary_key=True)


class RawDayRow(Base):
    """Every accrual Ozon returned for one day of one shop: a zlib-compressed JSON array of its records."""

    __tablename__ = "ozon_raw_days"
    __table_args__ = (not_negative("records"),)
    shop_id: Mapped[uuid.UUID] = _shop_pk()
    source: Mapped[str] = mapped_column(String(32), primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    records: Mapped[int] = mapped_column(Integer)
    payload: Mapped[bytes] = mapped_column(LargeBinary)


class PostingRow(Base):
    __tablename__ = "ozon_postings"
    __table_args__ = (Index("ix_ozon_postings_shop_created", "shop_id", "created_at"), not_negative("items"))
    shop_id: Mapped[uuid.UUID] = _shop_pk()
    posting_number: Mapped[str] = mapped_column(String(64), primary_key=True)
    scheme: Mapped[str] = mapped_column(String(8))
    order_id: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)
    cancel_reason_id: Mapped[int] = mapped_column(BigInteger)
    warehouse_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    items: Mapped[int] = mapped_column(Integer)
    raw: Mapped[bytes] = mapped_column(LargeBinary)


class ReturnRow(Base):
    __tablename__ = "ozon_returns"
    shop_id: Mapped[uuid.UUID] = _shop_pk()
    return_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    posting_number: Mapped[str] = mapped_column(String(64))
    sku: Mapped[int] = mapped_column(BigInteger)
    quantity: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(String(500))
    returned_at: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)
    raw: Mapped[bytes] = mapped_column(LargeBinary)
    # what «Возвраты» reads (migration 0016e): the Moscow day of the return, the line's price (kopecks, all
    # units), where the item is (visual status) and the compensation status Ozon reports
    returned_day: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    price: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    status: Mapped[str] = mapped_column(String(64), default="", server_default="")
    compensation_status: Mapped[str] = mapped_column(String(32), default="", server_default="")
    utilization_sum: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")


class StockSnapshotRow(Base):
    """Stock of an SKU at an Ozon warehouse on the day of the sync (/v1/analytics/stocks)."""

    __tablename__ = "ozon_stock_snapshots"
    shop_id: Mapped[uuid.UUID] = _shop_pk()
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    sku: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    warehouse_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    cluster_name: Mapped[str] = mapped_column(String(200))
    warehouse_name: Mapped[str] = mapped_column(String(200))
    available: Mapped[int] = mapped_column(BigInteger)
    transit: Mapped[int] = mapped_column(BigInteger)
    reserved: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")


class PostingWarehouseRow(Base):
    """A product line of a posting, by its Moscow creation day and warehouse: units ordered where (stock history)."""

    __tablename__ = "ozon_posting_warehouses"
    __table_args__ = (Index("ix_ozon_posting_warehouses_shop_day", "shop_id", "day"), not_negative("quantity"))
    shop_id: Mapped[uuid.UUID] = _shop_pk()
    posting_number: Mapped[str] = mapped_column(String(64), primary_key=True)
    sku: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date)
    warehouse_id: Mapped[int] = mapped_column(BigInteger)  # 0: unknown
    quantity: Mapped[int] = mapped_column(Integer)
    cancelled: Mapped[bool] = mapped_column(Boolean)


class SupplyItemRow(Base):
    """A SKU of a supply order not yet completed (replaced whole by every sync): stock on its way to a cluster."""

    __tablename__ = "ozon_supply_items"
    __table_args__ = (not_negative("quantity"),)
    shop_id: Mapped[uuid.UUID] = _shop_pk()
    supply_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    sku: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    order_id: Mapped[int] = mapped_column(BigInteger)
    state: Mapped[str] = mapped_column(String(64))
    warehouse_id: Mapped[int] = mapped_column(BigInteger)
    warehouse_name: Mapped[str] = mapped_column(String(200))
    cluster_name: Mapped[str] = mapped_column(String(200))
    arrival_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    quantity: Mapped[int] = mapped_column(Integer)


class AnomalyRow(Base):
    """Something the adapter could not trust in a record Ozon sent (reason in Russian), with the record as sent.

    `day` is the day whose answer carried it; the sync replaces a day's anomalies with its lines."""

    __tablename__ = "ozon_anomalies"
    __table_args__ = (Index("ix_ozon_anomalies_shop_day", "shop_id", "source", "day"),)
    shop_id: Mapped[uuid.UUID] = _shop_pk()
    source: Mapped[str] = mapped_column(String(32), primary_key=True)
    record_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    reason: Mapped[str] = mapped_column(String(300), primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date)
    raw: Mapped[bytes] = mapped_column(LargeBinary)


class SyncRunRow(Base):
    __tablename__ = "sync_runs"
    __table_args__ = (Index("ix_sync_runs_shop_created", "shop_id", "created_at"), ordered("date_from", "date_to"),
                      percent("percent"), not_negative("lines", "requests", name="counts_not_negative"))
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    shop_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    date_from: Mapped[dt.date] = mapped_column(Date)
    date_to: Mapped[dt.date] = mapped_column(Date)
    done_through: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    percent: Mapped[int] = mapped_column(SmallInteger)
    step: Mapped[str] = mapped_column(String(200))
    error: Mapped[str] = mapped_column(String(2000))
    lines: Mapped[int] = mapped_column(BigInteger)
    requests: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True))
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)
    buyouts_through: Mapped[dt.date | None] = mapped_column(Date, nullable=True)  # the buyouts' checkpoint

