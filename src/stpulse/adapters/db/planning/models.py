"""Planning tables: План's monthly targets."""

from __future__ import annotations

import datetime as dt
import uuid

from advanced_alchemy.base import UUIDv7AuditBase
from sqlalchemy import BigInteger, CheckConstraint, Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from stpulse.adapters.db.checks import month_start


class PlanTargetRow(UUIDv7AuditBase):
    """A month's targets for a shop (offer_id '') or one of its products; NULL: no target for that metric."""

    __tablename__ = "plan_targets"
    __table_args__ = (UniqueConstraint("shop_id", "month", "offer_id"), month_start("month"),
                      Index("ix_plan_targets_account_month", "account_id", "month"),
                      CheckConstraint("coalesce(revenue, 0) >= 0 AND coalesce(units, 0) >= 0 AND "
                                      "coalesce(ad_budget, 0) >= 0 AND coalesce(drr_bp, 0) >= 0",
                                      name="targets_not_negative"))
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    shop_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"))
    month: Mapped[dt.date] = mapped_column(Date)
    offer_id: Mapped[str] = mapped_column(String(100), default="")
    revenue: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    units: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    profit: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    ad_budget: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    drr_bp: Mapped[int | None] = mapped_column(Integer, nullable=True)
