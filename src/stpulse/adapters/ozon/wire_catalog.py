"""Ozon orders, returns, catalogue and stock answers as msgspec Structs with Ozon's exact field names.

Same leniency as `wire_finance`: unknown fields ignored, defaults everywhere, null allowed, numbers as
exact `Decimal`, timestamps as strings. Lists of records are `msgspec.Raw` so each record keeps its bytes.
"""

from __future__ import annotations

from decimal import Decimal

import msgspec


class W(msgspec.Struct, kw_only=True):
    pass


# /v3/posting/fbo/list, /v4/posting/fbs/list ------------------------------------------------------
# Posting records of the retired /v2/posting/fbo/list and /v3/posting/fbs/list (the samples in
# ozon/samples, raw rows stored before June 2026) still decode: their flat `price` string and
# `commission_amount`/`commission_percent` are read where the new answers have objects.


class PostingMoney(W):
    amount: Decimal | None = None
    currency: str | None = None


class PostingProductW(W):
    sku: int = 0
    name: str | None = None
    offer_id: str | None = None
    quantity: int | None = None
    price: PostingMoney | Decimal | None = None  # {amount, currency}; a bare string in the retired methods
    is_marketplace_buyout: bool | None = None


class Commission(W):
    amount: Decimal | None = None
    percent: Decimal | None = None
    currency: str | None = None


class FinancialProduct(W):
    product_id: int = 0
    quantity: int | None = None  # FBS only: the FBO answer has it in `products` (by SKU)
    price: Decimal | None = None
    old_price: Decimal | None = None
    payout: Decimal | None = None
    commission: Commission | None = None
    commission_amount: Decimal | None = None  # retired methods
    commission_percent: Decimal | None = None  # retired methods


class FinancialData(W):
    cluster_from: str | None = None
    cluster_to: str | None = None
    products: list[FinancialProduct] | None = None


class AnalyticsData(W):
    warehouse_id: int | None = None
    warehouse_name: str | None = None  # FBO
    warehouse: str | None = None  # FBS


class DeliveryMethod(W):
    warehouse_id: int | None = None
    warehouse: str | None = None


class Cancellation(W):
    cancel_reason_id: int | None = None  # FBS


class PostingW(W):
    posting_number: str = ""
    order_id: int | None = None
    order_number: str | None = None
    status: str | None = None
    substatus: str | None = None
    cancel_reason_id: int | None = None  # FBO
    cancellation: Cancellation | None = None  # FBS
    created_at: str | None = None  # FBO only
    in_process_at: str | None = None
    shipment_date: str | None = None  # FBS only
    products: list[PostingProductW] | None = None
    analytics_data: AnalyticsData | None = None
    financial_data: FinancialData | None = None
    delivery_method: DeliveryMethod | None = None  # FBS only


class PostingPage(W):
    """Both listings answer `{cursor, has_next, postings}` at the top level (no `result`)."""

    postings: list[msgspec.Raw] | None = None
    cursor: str | None = None
    has_next: bool = False


# /v1/returns/list -----------------------------------------------------------------------------------


class Price(W):
    currency_code: str | None = None
    price: Decimal | None = None


class ReturnProduct(W):
    sku: int = 0
    offer_id: str | None = None
    name: str | None = None
    price: Price | None = None
    price_without_commission: Price | None = None
    commission_percent: Decimal | None = None
    commission: Price | None = None
    quantity: int | None = None


class Place(W):
    id: int | None = None
    name: str | None = None


class Storage(W):
    sum: Price | None = None
    utilization_sum: Price | None = None


class Logistic(W):
    return_date: str | None = None
    final_moment: str | None = None


class VisualStatus(W):
    id: int | None = None
    display_name: str | None = None
    sys_name: str | None = None


class Visual(W):
    status: VisualStatus | None = None
    change_moment: str | None = None


class CompensationStatus(W):
    status: VisualStatus | None = None
    change_moment: str | None = None


class ReturnW(W):
    id: int = 0
    type: str | None = None
    schema: str | None = None
    order_id: int | None = None
    order_number: str | None = None
    posting_number: str | None = None
    return_reason_name: str | None = None
    place: Place | None = None
    target_place: Place | None = None
    storage: Storage | None = None
    product: ReturnProduct | None = None
    logistic: Logistic | None = None
    visual: Visual | None = None
    compensation_status: CompensationStatus | None = None


class ReturnsList(W):
    returns: list[msgspec.Raw] | None = None
    has_next: bool = False


# /v3/product/list, /v3/product/info/list ------------------------------------------------------------


class ProductListItem(W):
    product_id: int = 0
    offer_id: str | None = None
    archived: bool | None = None
    has_fbo_stocks: bool | None = None
    has_fbs_stocks: bool | None = None
    is_discounted: bool | None = None


class ProductListResult(W):
    items: list[msgspec.Raw] | None = None
    total: int | None = None
    last_id: str | None = None


class ProductList(W):
    result: ProductListResult | None = None


class CommissionW(W):
    delivery_amount: Decimal | None = None
    percent: Decimal | None = None
    return_amount: Decimal | None = None
    sale_schema: str | None = None
    value: Decimal | None = None


class ModelInfo(W):
    model_id: int | None = None


class ProductInfoW(W):
    id: int = 0
    offer_id: str | None = None
    sku: int | None = None
    name: str | None = None
    barcodes: list[str] | None = None
    price: str | None = None
    old_price: str | None = None
    min_price: str | None = None
    vat: str | None = None
    currency_code: str | None = None
    volume_weight: Decimal | None = None
    is_archived: bool | None = None
    model_info: ModelInfo | None = None
    created_at: str | None = None
    commissions: list[CommissionW] | None = None


class ProductInfoList(W):
    items: list[msgspec.Raw] | None = None


# /v5/product/info/prices, /v4/product/info/stocks --------------------------------------------------


class PriceCommissions(W):
    fbo_deliv_to_customer_amount: Decimal | None = None
    fbo_return_flow_amount: Decimal | None = None
    fbs_deliv_to_customer_amount: Decimal | None = None
    fbs_return_flow_amount: Decimal | None = None
    sales_percent_fbo: Decimal | None = None
    sales_percent_fbp: Decimal | None = None
    sales_percent_fbs: Decimal | None = None
    sales_percent_rfbs: Decimal | None = None


class PriceBlock(W):
    marketing_seller_price: Decimal | None = None
    min_price: Decimal | None = None
    net_price: Decimal | None = None
    old_price: Decimal | None = None
    price: Decimal | None = None
    retail_price: Decimal | None = None
    vat: Decimal | None = None


class PriceItem(W):
    product_id: int = 0
    offer_id: str | None = None
    acquiring: Decimal | None = None
    commissions: PriceCommissions | None = None
    price: PriceBlock | None = None


class CursorPage(W):
    items: list[msgspec.Raw] | None = None
    cursor: str | None = None
    total: int | None = None


class StockEntry(W):
    present: int | None = None
    reserved: int | None = None
    shipment_type: str | None = None
    sku: int | None = None
    type: str | None = None
    warehouse_ids: list[int] | None = None


class StockItem(W):
    product_id: int = 0
    offer_id: str | None = None
    stocks: list[StockEntry] | None = None
