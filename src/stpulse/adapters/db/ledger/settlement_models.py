"""Ozon's settlement documents (application/ledger/settlement.py): realization report, cash-flow statement, balance
by day, and the accrual day sums the reconciliation reads. Raw answers are kept zlib-compressed beside the
normalised figures (kopecks, Ozon's signs)."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import BigInteger, Date, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from stpulse.adapters.db.base import NaturalKeyBase as Base


def _shop() -> Mapped[uuid.UUID]:
    return mapped_column(ForeignKey("shops.id", ondelete="CASCADE"), primary_key=True)


class RealizationReportRow(Base):
    """A month's realization report (/v2/finance/realization): its header and totals."""

    __tablename__ = "ozon_realization_reports"
    shop_id: Mapped[uuid.UUID] = _shop()
    month: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    number: Mapped[str] = mapped_column(String(64))
    doc_date: Mapped[str] = mapped_column(String(32))
    delivered: Mapped[int] = mapped_column(BigInteger)  # Σ delivery_commission.total
    returned: Mapped[int] = mapped_column(BigInteger)  # −Σ return_commission.total
    sales: Mapped[int] = mapped_column(BigInteger)  # Σ delivery amount − Σ return amount: the УСН «доходы» base
    rows: Mapped[int] = mapped_column(Integer)
    raw: Mapped[bytes] = mapped_column(LargeBinary)  # the header as sent


class RealizationLineRow(Base):
    """A row of a monthly realization report (day = the month's first day) or of a day's (by-day, kind 'day')."""

    __tablename__ = "ozon_realization_lines"
    shop_id: Mapped[uuid.UUID] = _shop()
    kind: Mapped[str] = mapped_column(String(8), primary_key=True)  # month | day
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    row_number: Mapped[int] = mapped_column(Integer, primary_key=True)
    sku: Mapped[int] = mapped_column(BigInteger)
    offer_id: Mapped[str] = mapped_column(String(128))
    name: Mapped[str] = mapped_column(String(500))
    delivered_qty: Mapped[int] = mapped_column(Integer)
    delivered_amount: Mapped[int] = mapped_column(BigInteger)
    delivered_fee: Mapped[int] = mapped_column(BigInteger)
    delivered_total: Mapped[int] = mapped_column(BigInteger)
    returned_qty: Mapped[int] = mapped_column(Integer)
    returned_amount: Mapped[int] = mapped_column(BigInteger)
    returned_fee: Mapped[int] = mapped_column(BigInteger)
    returned_total: Mapped[int] = mapped_column(BigInteger)
    raw: Mapped[bytes] = mapped_column(LargeBinary)


class CashFlowPeriodRow(Base):
    """A half-month period of the cash-flow statement (/v1/finance/cash-flow-statement/list with details)."""

    __tablename__ = "ozon_cash_flow_periods"
    shop_id: Mapped[uuid.UUID] = _shop()
    period_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    first_day: Mapped[dt.date] = mapped_column(Date)
    last_day: Mapped[dt.date] = mapped_column(Date)
    accrued: Mapped[int] = mapped_column(BigInteger)
    invoice: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    paid: Mapped[int] = mapped_column(BigInteger)
    begin_balance: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    end_balance: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    raw: Mapped[bytes] = mapped_column(LargeBinary)


class BalanceDayRow(Base):
    """Ozon's balance of one day (/v1/finance/balance asked for that day): the payouts are dated by it."""

    __tablename__ = "ozon_balances"
    shop_id: Mapped[uuid.UUID] = _shop()
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    opening: Mapped[int] = mapped_column(BigInteger)
    accrued: Mapped[int] = mapped_column(BigInteger)
    paid: Mapped[int] = mapped_column(BigInteger)
    closing: Mapped[int] = mapped_column(BigInteger)
    lines: Mapped[int] = mapped_column(Integer)
    raw: Mapped[bytes] = mapped_column(LargeBinary)


class AccrualDaySumRow(Base):
    """The shop's accrual lines of one day split the way the realization report differs from them."""

    __tablename__ = "ozon_accrual_day_sums"
    shop_id: Mapped[uuid.UUID] = _shop()
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    total: Mapped[int] = mapped_column(BigInteger)
    delivered: Mapped[int] = mapped_column(BigInteger)
    returned: Mapped[int] = mapped_column(BigInteger)
    compensations: Mapped[int] = mapped_column(BigInteger)
    services: Mapped[int] = mapped_column(BigInteger)
