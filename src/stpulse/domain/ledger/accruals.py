"""Normalised Ozon accrual lines: one signed amount per (accrual, part).

An Ozon accrual (`/v1/finance/accrual/by-day`) is split into lines so that every kopeck of its
`total_amount` lands on exactly one line. The adapter builds these from the raw answer; the ledger
maps each line to a P&L article through the editable type → article mapping.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

import msgspec


class Component(StrEnum):
    SALE = "sale"  # sale_price + bonus + coinvestment (= seller price × qty); negative on a return
    COMMISSION = "commission"  # sale_commission; positive when given back on a return
    SERVICE = "service"  # delivery.services[] of a POSTING, fees[] of an ITEM, the NON_ITEM fee


class AccrualLine(msgspec.Struct, frozen=True, kw_only=True):
    accrual_id: int
    line_no: int  # position inside the accrual; (accrual_id, line_no) is the natural key
    date: dt.date  # Ozon's accrual date (Moscow)
    category: str  # POSTING | ITEM | NON_ITEM | UNSPECIFIED
    unit_number: str | None
    sku: int | None
    component: Component
    type_id: int | None  # the accrual type for SERVICE lines; None for SALE and COMMISSION
    amount: int  # kopecks, signed as Ozon signs it
    quantity: int = 0
    delivery_schema: str | None = None
