"""Ozon's monthly and periodic finance documents as the adapter hands them over (kopecks, raw kept)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import msgspec


class RealizationMovement(msgspec.Struct, frozen=True, kw_only=True):
    """`delivery_commission` or `return_commission` of a realization row."""

    quantity: int
    amount: int
    bonus: int
    commission: int
    compensation: int
    price_per_instance: int
    standard_fee: int
    bank_coinvestment: int
    stars: int
    pick_up_point_coinvestment: int
    total: int


class RealizationRow(msgspec.Struct, frozen=True, kw_only=True):
    row_number: int
    sku: int
    offer_id: str
    name: str
    barcode: str
    seller_price_per_instance: int
    commission_ratio: Decimal
    delivery: RealizationMovement | None
    returned: RealizationMovement | None
    raw: bytes = b""


class RealizationReport(msgspec.Struct, frozen=True, kw_only=True):
    year: int
    month: int
    number: str
    doc_date: str
    start_date: str
    stop_date: str
    contract_number: str
    contract_date: str
    currency: str
    payer_inn: str
    payer_name: str
    receiver_inn: str
    receiver_name: str
    rows: tuple[RealizationRow, ...]
    raw_header: bytes = b""


class CashFlowPeriod(msgspec.Struct, frozen=True, kw_only=True):
    """One half-month period of `/v1/finance/cash-flow-statement/list` with its details."""

    period_id: int
    begin: dt.datetime | None
    end: dt.datetime | None
    currency_code: str
    orders_amount: int
    returns_amount: int
    commission_amount: int
    services_amount: int
    item_delivery_and_return_amount: int
    begin_balance: int | None
    end_balance: int | None
    invoice_transfer: int | None
    payments: tuple[int, ...]
    raw: bytes = b""


class BalanceService(msgspec.Struct, frozen=True, kw_only=True):
    name: str
    amount: int


class BalanceReport(msgspec.Struct, frozen=True, kw_only=True):
    """`/v1/finance/balance` for one chunk of at most 30 days."""

    date_from: dt.date
    date_to: dt.date
    opening_balance: int
    closing_balance: int
    accrued: int
    payments: tuple[int, ...]
    sales_amount: int
    sales_fee: int
    returns_amount: int
    returns_fee: int
    services: tuple[BalanceService, ...]
    raw: bytes = b""
