"""Advertising statistics per shop, campaign, SKU and day: written by the ads sync, read by the reports
(domain/ledger/ad_stats.py). `key_id` is the ad account that reported it; removing a key removes its rows."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import BigInteger, Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from stpulse.adapters.db.base import NaturalKeyBase as Base
from stpulse.adapters.db.checks import not_negative


class AdStatRow(Base):
    __tablename__ = "ad_stats"
    __table_args__ = (not_negative("spend"), not_negative("cabinet"), Index("ix_ad_stats_key", "key_id"))
    shop_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    sku: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    key_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("performance_keys.id", ondelete="CASCADE"))
    spend: Mapped[int] = mapped_column(BigInteger)
    views: Mapped[int] = mapped_column(BigInteger, default=0)
    clicks: Mapped[int] = mapped_column(BigInteger, default=0)
    orders: Mapped[int] = mapped_column(BigInteger, default=0)
    revenue: Mapped[int] = mapped_column(BigInteger, default=0)
    cabinet: Mapped[int] = mapped_column(BigInteger, default=0)


class AdMonthRow(Base):
    """`ad_stats` summed per calendar month (month = its first day): what «Реклама» reads (a year of a large seller
    is ~10⁵ daily rows, ~10⁴ monthly ones). Rebuilt from the daily rows of the months a write touches."""

    __tablename__ = "ad_stats_monthly"
    shop_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"), primary_key=True)
    month: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    sku: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    spend: Mapped[int] = mapped_column(BigInteger)
    views: Mapped[int] = mapped_column(BigInteger)
    clicks: Mapped[int] = mapped_column(BigInteger)
    orders: Mapped[int] = mapped_column(BigInteger)
    revenue: Mapped[int] = mapped_column(BigInteger)


class AdCampaignRow(Base):
    """A campaign of a shop as its ad account lists it (the report names rows by its title)."""

    __tablename__ = "ad_campaigns"
    shop_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"), primary_key=True)
    campaign_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    key_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("performance_keys.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    adv_type: Mapped[str] = mapped_column(String(32))
    payment: Mapped[str] = mapped_column(String(16))
