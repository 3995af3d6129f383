"""What the Ozon Seller API adapter hands to the application about stock and supplies: plain, frozen records
(see records.py for the conventions: integer kopecks, `Decimal` ratios, `raw` bytes as Ozon sent them)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import msgspec


class StockRow(msgspec.Struct, frozen=True, kw_only=True):
    """One `stocks[]` entry of `/v4/product/info/stocks` (a product on one warehouse type)."""

    product_id: int
    offer_id: str
    sku: int
    warehouse_type: str  # fbs | rfbs | fbo | fbp
    shipment_type: str
    present: int
    reserved: int
    warehouse_ids: tuple[int, ...]
    raw: bytes = b""  # the whole product item the row came from


class AnalyticsStockRow(msgspec.Struct, frozen=True, kw_only=True):
    sku: int
    offer_id: str
    name: str
    cluster_id: int | None
    cluster_name: str
    warehouse_id: int | None
    warehouse_name: str
    available: int
    valid: int  # «Готовим к продаже»
    transit: int
    requested: int
    returning_from_customers: int
    returning_to_seller: int
    other: int
    ads: Decimal  # average daily sales, 28 days, all clusters
    ads_cluster: Decimal
    idc: Decimal
    idc_cluster: Decimal
    days_without_sales: int
    turnover_grade: str
    turnover_grade_cluster: str
    raw: bytes = b""


class TurnoverRow(msgspec.Struct, frozen=True, kw_only=True):
    sku: int
    offer_id: str
    name: str
    ads: Decimal
    current_stock: int
    idc: Decimal
    idc_grade: str
    turnover: Decimal
    turnover_grade: str
    raw: bytes = b""


class ClusterWarehouse(msgspec.Struct, frozen=True, kw_only=True):
    warehouse_id: int
    name: str
    type: str


class Cluster(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    name: str
    type: str
    macrolocal_cluster_id: int | None
    warehouses: tuple[ClusterWarehouse, ...]
    raw: bytes = b""


class Supply(msgspec.Struct, frozen=True, kw_only=True):
    supply_id: int
    bundle_id: str
    state: str
    storage_warehouse_id: int | None
    storage_warehouse_name: str
    arrival_date: dt.datetime | None
    macrolocal_cluster_id: int | None


class SupplyOrder(msgspec.Struct, frozen=True, kw_only=True):
    order_id: int
    order_number: str
    state: str
    created_date: dt.datetime | None
    state_updated_date: dt.datetime | None
    dropoff_warehouse_id: int | None
    dropoff_warehouse_name: str
    timeslot_from: dt.datetime | None
    timeslot_to: dt.datetime | None
    supplies: tuple[Supply, ...]
    raw: bytes = b""


class SupplyItem(msgspec.Struct, frozen=True, kw_only=True):
    """A SKU on its way to an Ozon warehouse in a supply not yet completed (what the sync stores)."""

    supply_id: int
    order_id: int
    sku: int
    state: str
    warehouse_id: int
    warehouse_name: str
    cluster_name: str
    arrival_date: dt.date | None
    quantity: int
