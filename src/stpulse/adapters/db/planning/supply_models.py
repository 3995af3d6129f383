"""Planning tables: supply parameters per SKU (offer_id) of an account."""

from __future__ import annotations

import uuid

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from stpulse.adapters.db.base import NaturalKeyBase as Base


class SupplyParamRow(Base):
    __tablename__ = "supply_params"
    __table_args__ = (CheckConstraint("lead_days >= 0 AND cover_days >= 0 AND safety_days >= 0 AND box >= 1 "
                                      "AND min_order >= 0", name="params_valid"),)
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True)
    offer_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    lead_days: Mapped[int] = mapped_column(Integer)
    cover_days: Mapped[int] = mapped_column(Integer)
    safety_days: Mapped[int] = mapped_column(Integer)
    box: Mapped[int] = mapped_column(Integer)
    min_order: Mapped[int] = mapped_column(Integer)
