"""Report settings of an account and its users: SKU models, the «Показатели» each user chose, highlight thresholds."""

from __future__ import annotations

import uuid

from sqlalchemy import BigInteger, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from stpulse.adapters.db.base import NaturalKeyBase as Base


class SkuModelRow(Base):
    """offer_id → the model (a product in several sizes or colours) it belongs to, per account."""

    __tablename__ = "sku_models"
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True)
    offer_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    model: Mapped[str] = mapped_column(String(200))


class MetricChoiceRow(Base):
    """The «Показатели» a user shows in a report, in order (comma-separated metric codes)."""

    __tablename__ = "report_metric_choices"
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True)
    report: Mapped[str] = mapped_column(String(32), primary_key=True)
    metrics: Mapped[str] = mapped_column(String(2000))


class HighlightThresholdRow(Base):
    """An account's own threshold of a highlight rule (`domain.reports.highlights`)."""

    __tablename__ = "report_highlight_thresholds"
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True)
    rule: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger)
