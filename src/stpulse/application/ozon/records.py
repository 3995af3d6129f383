"""What the Ozon Seller API adapter hands to the application: plain, frozen records.

Amounts are integer kopecks (rounded once, half-up, at the adapter). Percentages and ratios are
`Decimal` as Ozon sent them. Every record keeps `raw`: the exact JSON bytes Ozon sent for it, so the
sync can store what Ozon said alongside what we understood.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import msgspec

from stpulse.application.ozon.stock_records import (
    AnalyticsStockRow as AnalyticsStockRow,
)
from stpulse.application.ozon.stock_records import (
    Cluster as Cluster,
)
from stpulse.application.ozon.stock_records import (
    ClusterWarehouse as ClusterWarehouse,
)
from stpulse.application.ozon.stock_records import (  # re-exported
    StockRow as StockRow,
)
from stpulse.application.ozon.stock_records import (
    Supply as Supply,
)
from stpulse.application.ozon.stock_records import (
    SupplyItem as SupplyItem,
)
from stpulse.application.ozon.stock_records import (
    SupplyOrder as SupplyOrder,
)
from stpulse.application.ozon.stock_records import (
    TurnoverRow as TurnoverRow,
)
from stpulse.domain.ledger.accruals import AccrualLine


class AccrualType(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    name: str
    description: str


class AccrualRecord(msgspec.Struct, frozen=True, kw_only=True):
    """One `/v1/finance/accrual/by-day` accrual and its normalised lines (Σ lines == total)."""

    accrual_id: int
    date: dt.date
    category: str
    unit_number: str | None
    total_amount: int
    lines: tuple[AccrualLine, ...]
    balancing_lines: int = 0  # lines with type_id 0 («расхождение»): Ozon's parts did not add up
    discrepancy: int = 0  # kopecks those balancing lines carry, signed
    raw: bytes = b""
    asked_day: dt.date | None = None  # the day whose answer carried it, when Ozon dates it otherwise (`date`)
    anomalies: tuple[str, ...] = ()  # what the adapter could not trust (Russian, for the admin's «аномалии»)

    @property
    def source_day(self) -> dt.date:
        return self.asked_day or self.date


class AccrualPage(msgspec.Struct, frozen=True, kw_only=True):
    date: dt.date
    page_no: int  # 1-based position of the page inside the day
    records: tuple[AccrualRecord, ...]
    last_id: str  # what Ozon answered; "" on the last page


class PostingProduct(msgspec.Struct, frozen=True, kw_only=True):
    sku: int
    offer_id: str
    name: str
    quantity: int
    price: int  # seller price per unit, kopecks
    is_marketplace_buyout: bool = False


class PostingFinance(msgspec.Struct, frozen=True, kw_only=True):
    sku: int  # `product_id` in Ozon's financial_data is the SKU
    quantity: int
    price: int
    old_price: int
    payout: int
    commission_amount: int
    commission_percent: Decimal


class Posting(msgspec.Struct, frozen=True, kw_only=True):
    scheme: str  # "FBO" | "FBS"
    posting_number: str
    order_id: int
    order_number: str
    status: str
    substatus: str
    created_at: dt.datetime | None
    in_process_at: dt.datetime | None
    shipment_date: dt.datetime | None
    cancel_reason_id: int
    warehouse_id: int | None
    warehouse_name: str
    cluster_from: str
    cluster_to: str
    products: tuple[PostingProduct, ...]
    financials: tuple[PostingFinance, ...]
    raw: bytes = b""


class ReturnRecord(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    scheme: str  # "Fbo" | "Fbs" as Ozon spells it
    type: str  # Cancellation | FullReturn | PartialReturn | ...
    posting_number: str
    order_id: int
    order_number: str
    sku: int
    offer_id: str
    name: str
    quantity: int
    price: int
    price_without_commission: int
    commission: int
    commission_percent: Decimal
    reason: str
    status: str  # visual.status.sys_name
    status_name: str
    status_changed_at: dt.datetime | None
    returned_at: dt.datetime | None  # logistic.return_date
    final_at: dt.datetime | None  # arrived at fulfilment or handed to the seller
    place_name: str
    target_place_name: str
    storage_sum: int
    utilization_sum: int
    raw: bytes = b""
    compensation_status: str = ""  # compensation_status.status.sys_name: Sent | Received | Canceled | …


class Product(msgspec.Struct, frozen=True, kw_only=True):
    product_id: int
    offer_id: str
    archived: bool
    has_fbo_stocks: bool
    has_fbs_stocks: bool
    is_discounted: bool
    raw: bytes = b""


class ProductCommission(msgspec.Struct, frozen=True, kw_only=True):
    sale_schema: str
    percent: Decimal
    value: int
    delivery_amount: int
    return_amount: int


class ProductInfo(msgspec.Struct, frozen=True, kw_only=True):
    product_id: int
    offer_id: str
    sku: int
    name: str
    barcodes: tuple[str, ...]
    price: int
    old_price: int
    min_price: int
    vat: str
    currency_code: str
    volume_weight: Decimal
    is_archived: bool
    model_id: int | None
    created_at: dt.datetime | None
    commissions: tuple[ProductCommission, ...]
    raw: bytes = b""


class ProductPrice(msgspec.Struct, frozen=True, kw_only=True):
    product_id: int
    offer_id: str
    price: int
    old_price: int
    min_price: int
    marketing_seller_price: int
    net_price: int
    retail_price: int
    vat: Decimal
    acquiring: int
    sales_percent_fbo: Decimal
    sales_percent_fbs: Decimal
    sales_percent_rfbs: Decimal
    sales_percent_fbp: Decimal
    fbo_deliv_to_customer_amount: int
    fbs_deliv_to_customer_amount: int
    fbo_return_flow_amount: int
    fbs_return_flow_amount: int
    raw: bytes = b""


class BuyoutRow(msgspec.Struct, frozen=True, kw_only=True):
    posting_number: str
    sku: int
    offer_id: str
    name: str
    quantity: int
    seller_price_per_instance: int
    buyout_price: int
    amount: int
    deduction_by_category_percent: Decimal
    vat_percent: int
    raw: bytes = b""
    anomalies: tuple[str, ...] = ()  # what the adapter could not trust (Russian, for the admin's «аномалии»)


class DatedBuyout(msgspec.Struct, frozen=True, kw_only=True):
    """A buyout line on the day whose answer carried it (the API gives no date per line), with what the sync could
    not trust about it (a repeated line, a line only a window's answer gave) besides the adapter's own doubts."""

    day: dt.date
    row: BuyoutRow
    anomalies: tuple[str, ...] = ()


class OzonReport(msgspec.Struct, frozen=True, kw_only=True):
    """A report Ozon builds asynchronously (compensations, decompensations): the XLSX link when ready."""

    code: str
    status: str  # waiting | processing | success | failed
    file_url: str
    error: str
    raw: bytes = b""


class BundleItem(msgspec.Struct, frozen=True, kw_only=True):
    """One product of a supply's bundle (`/v1/supply-order/bundle`)."""

    sku: int
    offer_id: str
    quantity: int
