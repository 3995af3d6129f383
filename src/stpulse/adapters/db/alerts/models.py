"""Alerts: rule settings per account, channels per member, the alerts (one per cause) and their read marks."""

from __future__ import annotations

import datetime as dt
import uuid

from advanced_alchemy.base import UUIDv7Base
from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from stpulse.adapters.db.base import NaturalKeyBase


class AlertSettingRow(NaturalKeyBase):
    __tablename__ = "alert_settings"
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True)
    rule: Mapped[str] = mapped_column(String(32), primary_key=True)
    threshold: Mapped[int] = mapped_column(Integer)
    enabled: Mapped[bool] = mapped_column(Boolean)


class AlertChannelRow(NaturalKeyBase):
    __tablename__ = "alert_channels"
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    rule: Mapped[str] = mapped_column(String(32), primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))


class AlertRow(UUIDv7Base):
    __tablename__ = "alerts"
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    rule: Mapped[str] = mapped_column(String(32))
    cause: Mapped[str] = mapped_column(String(300))
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(String(1000))
    url: Mapped[str] = mapped_column(String(300))
    urgent: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True))
    shop_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"), nullable=True)
    __table_args__ = (UniqueConstraint("account_id", "cause", name="uq_alerts_account_id_cause"),
                      Index("ix_alerts_account_created", "account_id", "created_at"))


class AlertReadRow(NaturalKeyBase):
    __tablename__ = "alert_reads"
    alert_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("alerts.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    read_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True))
