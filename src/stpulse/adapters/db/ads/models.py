"""Performance API keys of the shops and their campaigns."""

from __future__ import annotations

import datetime as dt
import uuid

from advanced_alchemy.base import UUIDv7Base
from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import BigInteger, Date, ForeignKey, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from stpulse.adapters.db.base import NaturalKeyBase


class PerformanceKeyRow(UUIDv7Base):
    __tablename__ = "performance_keys"
    __table_args__ = (UniqueConstraint("shop_id", "client_id"),)
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    shop_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(100))
    organisation: Mapped[str] = mapped_column(String(200))
    client_id: Mapped[str] = mapped_column(String(200))
    secret_encrypted: Mapped[bytes] = mapped_column(LargeBinary)
    status: Mapped[str] = mapped_column(String(20), default="active")
    last_error: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True))
    done_through: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    last_sync_at: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)


class AdCampaignRow(NaturalKeyBase):
    __tablename__ = "ad_campaigns"
    shop_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"), primary_key=True)
    campaign_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    key_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("performance_keys.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    adv_type: Mapped[str] = mapped_column(String(32))
    payment: Mapped[str] = mapped_column(String(16))
