"""Ozon FBO analytics, clusters and supply orders as msgspec Structs with Ozon's exact field names."""

from __future__ import annotations

from decimal import Decimal

import msgspec


class W(msgspec.Struct, kw_only=True):
    pass


class RawItems(W):
    items: list[msgspec.Raw] | None = None


class AnalyticsStockItem(W):
    sku: int = 0
    offer_id: str | None = None
    name: str | None = None
    cluster_id: int | None = None
    cluster_name: str | None = None
    warehouse_id: int | None = None
    warehouse_name: str | None = None
    available_stock_count: int | None = None
    valid_stock_count: int | None = None
    transit_stock_count: int | None = None
    requested_stock_count: int | None = None
    return_from_customer_stock_count: int | None = None
    return_to_seller_stock_count: int | None = None
    other_stock_count: int | None = None
    ads: Decimal | None = None
    ads_cluster: Decimal | None = None
    idc: Decimal | None = None
    idc_cluster: Decimal | None = None
    days_without_sales: int | None = None
    turnover_grade: str | None = None
    turnover_grade_cluster: str | None = None


class TurnoverItem(W):
    sku: int = 0
    offer_id: str | None = None
    name: str | None = None
    ads: Decimal | None = None
    current_stock: int | None = None
    idc: Decimal | None = None
    idc_grade: str | None = None
    turnover: Decimal | None = None
    turnover_grade: str | None = None


class Warehouse(W):
    warehouse_id: int = 0
    name: str | None = None
    type: str | None = None


class LogisticCluster(W):
    warehouses: list[Warehouse] | None = None


class ClusterW(W):
    id: int = 0
    name: str | None = None
    type: str | None = None
    macrolocal_cluster_id: int | None = None
    logistic_clusters: list[LogisticCluster] | None = None


class ClusterList(W):
    clusters: list[msgspec.Raw] | None = None


class SupplyOrderList(W):
    order_ids: list[int] | None = None
    last_id: str | None = None


class DropoffWarehouse(W):
    warehouse_id: int | None = None
    name: str | None = None


class StorageWarehouse(W):
    warehouse_id: int | None = None
    name: str | None = None
    arrival_date: str | None = None


class SupplyW(W):
    supply_id: int = 0
    bundle_id: str | None = None
    state: str | None = None
    storage_warehouse: StorageWarehouse | None = None
    macrolocal_cluster_id: int | None = None


class Interval(W):
    from_: str | None = msgspec.field(default=None, name="from")
    to: str | None = None


class Timeslot(W):
    timeslot: Interval | None = None


class SupplyOrderW(W):
    order_id: int = 0
    order_number: str | None = None
    state: str | None = None
    created_date: str | None = None
    state_updated_date: str | None = None
    dropoff_warehouse: DropoffWarehouse | None = None
    supplies: list[SupplyW] | None = None
    timeslot: Timeslot | None = None


class SupplyOrderGet(W):
    orders: list[msgspec.Raw] | None = None


class BundlePage(W):
    items: list[msgspec.Raw] | None = None
    has_next: bool | None = None
    last_id: str | None = None


class BundleItemW(W):
    sku: int = 0
    offer_id: str | None = None
    quantity: int | None = None
