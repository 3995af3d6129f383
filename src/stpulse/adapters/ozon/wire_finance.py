"""Ozon finance answers as msgspec Structs with Ozon's exact field names.

Lenient on purpose: unknown fields are ignored, every field has a default and may be null, amounts Ozon
documents as strings stay `str` (parsed with Decimal later), amounts Ozon sends as JSON numbers are
decoded straight to `Decimal` (exact, never float), timestamps stay strings (Ozon sends "" at times).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import msgspec


class W(msgspec.Struct, kw_only=True):
    pass


# /v1/finance/accrual/by-day ------------------------------------------------------------------------


class Money(W):
    amount: Any = None  # a string as documented, or a JSON number (decoded as an exact Decimal, see decode_raw)
    currency: str | None = None


class Fee(W):
    type_id: int | None = None
    accrued: Money | None = None


class ItemFee(W):
    sku: int | None = None
    fees: list[Fee] | None = None
    quantity: int | None = None  # real answers carry it; the spec does not


class ItemFees(W):
    fees: list[ItemFee] | None = None


class Commission(W):
    bonus: Money | None = None
    coinvestment: Money | None = None
    commission: Money | None = None
    commission_ratio: Any = None  # documented as a string ratio; real answers send 'value:"0.450000"'
    sale_amount: Money | None = None
    sale_commission: Money | None = None
    sale_price: Money | None = None
    seller_price: Money | None = None


class Delivery(W):
    services: list[Fee] | None = None
    total_accrued: Money | None = None


class AccrualProduct(W):
    sku: int | None = None
    commission: Commission | None = None  # null: a cancellation or non-purchase, logistics only
    delivery: Delivery | None = None
    quantity: int | None = None


class AccrualPosting(W):
    delivery_schema: str | None = None
    delivery_speed: int | None = None
    products: list[AccrualProduct] | None = None


class Accrual(W):
    accrual_id: int
    date: str = ""
    accrued_category: str | None = None
    unit_number: str | None = None
    total_amount: Money | None = None
    posting: AccrualPosting | None = None
    item_fees: ItemFees | None = None
    non_item_fee: Fee | None = None
    container_fees: Any = None  # not in the spec; walked generically for {type_id, accrued} fees


class AccrualByDay(W):
    accruals: list[msgspec.Raw] | None = None  # each kept raw, decoded one by one
    last_id: str | None = None


class AccrualTypeItem(W):
    id: int
    name: str = ""
    description: str = ""


class AccrualTypes(W):
    accrual_types: list[AccrualTypeItem] | None = None


# /v1/finance/products/buyout --------------------------------------------------------------------


class BuyoutProducts(W):
    products: list[msgspec.Raw] | None = None


class BuyoutProduct(W):
    posting_number: str | None = None
    sku: int | None = None
    offer_id: str | None = None
    name: str | None = None
    quantity: int | None = None
    seller_price_per_instance: Decimal | None = None
    buyout_price: Decimal | None = None
    amount: Decimal | None = None
    deduction_by_category_percent: Decimal | None = None
    vat_percent: int | None = None


# /v1/finance/compensation, /v1/finance/decompensation, /v1/report/info --------------------------


class ReportCode(W):
    code: str = ""


class ReportCodeAnswer(W):
    result: ReportCode | None = None


class ReportInfo(W):
    code: str = ""
    status: str = ""
    file: str = ""
    error: str = ""


class ReportInfoAnswer(W):
    result: msgspec.Raw = msgspec.Raw()  # Raw cannot sit in a union: null arrives as b"null"


# /v2/finance/realization --------------------------------------------------------------------------


class RealizationItem(W):
    barcode: str | None = None
    name: str | None = None
    offer_id: str | None = None
    sku: int | None = None


class RealizationCommission(W):
    amount: Decimal | None = None
    bonus: Decimal | None = None
    commission: Decimal | None = None
    compensation: Decimal | None = None
    price_per_instance: Decimal | None = None
    quantity: int | None = None
    standard_fee: Decimal | None = None
    bank_coinvestment: Decimal | None = None
    stars: Decimal | None = None
    pick_up_point_coinvestment: Decimal | None = None
    total: Decimal | None = None


class RealizationRow(W):
    rowNumber: int | None = None  # noqa: N815 — Ozon's name
    commission_ratio: Decimal | None = None
    delivery_commission: RealizationCommission | None = None
    return_commission: RealizationCommission | None = None
    item: RealizationItem | None = None
    seller_price_per_instance: Decimal | None = None


class RealizationHeader(W):
    contract_date: str = ""
    contract_number: str = ""
    currency_sys_name: str = ""
    doc_date: str = ""
    number: str = ""
    payer_inn: str = ""
    payer_kpp: str = ""
    payer_name: str = ""
    receiver_inn: str = ""
    receiver_kpp: str = ""
    receiver_name: str = ""
    start_date: str = ""
    stop_date: str = ""


class RealizationResult(W):
    header: msgspec.Raw = msgspec.Raw()
    rows: list[msgspec.Raw] | None = None


class RealizationByDayAnswer(W):
    rows: list[msgspec.Raw] | None = None


class RealizationAnswer(W):
    result: RealizationResult | None = None


# /v1/finance/cash-flow-statement/list ---------------------------------------------------------


class Period(W):
    begin: str | None = None
    end: str | None = None
    id: int | None = None


class CashFlow(W):
    period: Period | None = None
    orders_amount: Decimal | None = None
    returns_amount: Decimal | None = None
    commission_amount: Decimal | None = None
    services_amount: Decimal | None = None
    item_delivery_and_return_amount: Decimal | None = None
    currency_code: str | None = None


class Payment(W):
    payment: Decimal | None = None
    currency_code: str | None = None


class CashFlowDetails(W):
    period: Period | None = None
    begin_balance_amount: Decimal | None = None
    end_balance_amount: Decimal | None = None
    invoice_transfer: Decimal | None = None
    payments: list[Payment] | None = None


class CashFlowResult(W):
    cash_flows: list[msgspec.Raw] | None = None
    details: msgspec.Raw = msgspec.Raw()
    page_count: int | None = None


class CashFlowAnswer(W):
    result: CashFlowResult | None = None


# /v1/finance/balance ----------------------------------------------------------------------------


class Value(W):
    currency_code: str | None = None
    value: Decimal | None = None


class BalanceFlow(W):
    amount: Value | None = None
    fee: Value | None = None


class BalanceServiceItem(W):
    amount: Value | None = None
    name: str = ""


class BalanceCashflows(W):
    returns: BalanceFlow | None = None
    sales: BalanceFlow | None = None
    services: list[BalanceServiceItem] | None = None


class BalanceTotal(W):
    accrued: Value | None = None
    closing_balance: Value | None = None
    opening_balance: Value | None = None
    payments: list[Value] | None = None


class BalanceAnswer(W):
    cashflows: BalanceCashflows | None = None
    total: BalanceTotal | None = None
