"""/v1/analytics/stocks, /v1/analytics/turnover/stocks, /v1/cluster/list, /v3/supply-order/list|get,
/v1/supply-order/bundle."""

from __future__ import annotations

import datetime as dt

import msgspec
import numpy as np
from litestar import Request, post

from stpulse.adapters.sandbox.ozon import limits
from stpulse.adapters.sandbox.ozon.http.errors import bad_request
from stpulse.adapters.sandbox.ozon.http.parsing import check_limit, parse
from stpulse.adapters.sandbox.ozon.postings import iso_utc
from stpulse.adapters.sandbox.ozon.reference import CIS_CLUSTERS, CLUSTERS, fbo_warehouses
from stpulse.adapters.sandbox.ozon.stocks import StockRow, fbo_stock_rows, supply_orders, units_sold
from stpulse.adapters.sandbox.ozon.world import SellerWorld


class AnalyticsStocksRequest(msgspec.Struct):
    skus: list[int]
    cluster_ids: list[int] = []
    macrolocal_cluster_ids: list[int] = []
    warehouse_ids: list[int] = []
    item_tags: list[str] = []
    turnover_grades: list[str] = []


@post("/v1/analytics/stocks", status_code=200)
async def analytics_stocks(request: Request, world: SellerWorld) -> dict:
    req = await parse(request, AnalyticsStocksRequest)
    check_limit(len(req.skus), limits.ANALYTICS_STOCKS_MAX_SKUS, "skus")
    if req.cluster_ids and req.macrolocal_cluster_ids:
        raise bad_request("use only one of cluster_ids or macrolocal_cluster_ids")
    wanted = set(world.catalog.index_of_sku(np.array(req.skus, dtype=np.int64)).tolist()) - {-1}
    daily = units_sold(world, 28) / 28.0
    items = []
    for row in fbo_stock_rows(world):
        wid, wname, cid, cname = fbo_warehouses()[row.warehouse]
        if row.sku_pos not in wanted or (req.cluster_ids and cid not in req.cluster_ids) or (
                req.warehouse_ids and wid not in req.warehouse_ids):
            continue
        items.append(_stock_item(world, row, float(daily[row.sku_pos]), (wid, wname, cid, cname)))
    return {"items": items}


def _stock_item(world: SellerWorld, row: StockRow, ads: float, where: tuple[int, str, int, str]) -> dict:
    c, (wid, wname, cid, cname) = world.catalog, where
    idc = round(row.available / ads, 1) if ads else 0
    grade = "NO_SALES" if not ads else "DEFICIT" if idc < 28 else "POPULAR" if idc < 56 else "ACTUAL" if idc < 120 else "SURPLUS"
    return {"sku": int(c.sku[row.sku_pos]), "offer_id": c.offer_id(row.sku_pos), "name": c.name(row.sku_pos),
            "warehouse_id": wid, "warehouse_name": wname, "cluster_id": cid, "cluster_name": cname,
            "macrolocal_cluster_id": next(m for i, _, m, _ in CLUSTERS if i == cid),
            "available_stock_count": row.available, "transit_stock_count": row.transit,
            "return_from_customer_stock_count": row.returning, "valid_stock_count": row.reserved,
            "requested_stock_count": 0, "other_stock_count": 0, "excess_stock_count": 0, "expiring_stock_count": 0,
            "return_to_seller_stock_count": 0, "stock_defect_stock_count": 0, "transit_defect_stock_count": 0,
            "waiting_docs_stock_count": 0, "ads": round(ads, 2), "ads_cluster": round(ads, 2), "idc": idc,
            "idc_cluster": idc, "days_without_sales": 0 if ads else 28, "days_without_sales_cluster": 0 if ads else 28,
            "turnover_grade": grade, "turnover_grade_cluster": grade, "item_tags": []}


class TurnoverRequest(msgspec.Struct):
    limit: int = limits.TURNOVER_MAX_LIMIT
    offset: int = 0
    sku: list[int] = []


@post("/v1/analytics/turnover/stocks", status_code=200)
async def turnover(request: Request, world: SellerWorld) -> dict:
    req = await parse(request, TurnoverRequest)
    check_limit(req.limit, limits.TURNOVER_MAX_LIMIT)
    c = world.catalog
    pos = np.arange(c.n) if not req.sku else c.index_of_sku(np.array(req.sku, dtype=np.int64))
    pos = pos[pos >= 0][req.offset: req.offset + req.limit] if not req.sku else pos[pos >= 0]
    stock = np.zeros(c.n, dtype=np.int64)
    for row in fbo_stock_rows(world):
        stock[row.sku_pos] += row.available
    ads = units_sold(world, 60) / 60.0
    items = []
    for i in pos.tolist():
        idc = round(stock[i] / ads[i], 1) if ads[i] else 0
        grade = "GRADES_NOSALES" if not ads[i] else "GRADES_RED" if idc < 14 else "GRADES_YELLOW" if idc < 45 else "GRADES_GREEN"
        items.append({"sku": int(c.sku[i]), "offer_id": c.offer_id(i), "name": c.name(i), "ads": round(float(ads[i]), 2),
                      "current_stock": int(stock[i]), "idc": idc, "idc_grade": grade, "turnover": idc,
                      "turnover_grade": grade})
    return {"items": items}


class ClusterRequest(msgspec.Struct):
    cluster_type: str
    cluster_ids: list[int] = []


@post("/v1/cluster/list", status_code=200)
async def cluster_list(request: Request, world: SellerWorld) -> dict:
    req = await parse(request, ClusterRequest)
    source = {"CLUSTER_TYPE_OZON": CLUSTERS, "CLUSTER_TYPE_CIS": CIS_CLUSTERS}.get(req.cluster_type)
    if source is None:
        raise bad_request("cluster_type: expected CLUSTER_TYPE_OZON or CLUSTER_TYPE_CIS")
    return {"clusters": [
        {"id": cid, "name": name, "macrolocal_cluster_id": macro, "type": req.cluster_type,
         "logistic_clusters": [{"warehouses": [{"warehouse_id": w, "name": n, "type": "FULL_FILLMENT"}
                                               for w, n in whs]}]}
        for cid, name, macro, whs in source if not req.cluster_ids or cid in req.cluster_ids]}


class SupplyFilter(msgspec.Struct):
    states: list[str]
    dropoff_warehouse_ids: list[int] = []
    order_number_search: str = ""


class SupplyListRequest(msgspec.Struct):
    filter: SupplyFilter
    limit: int
    sort_by: str
    sort_dir: str = "ASC"
    last_id: str = ""


SORT_FIELDS = ("ORDER_CREATION", "ORDER_STATE_UPDATED_AT", "TIMESLOT_FROM_UTC", "TIMESLOT_FROM_LOCAL")


@post("/v3/supply-order/list", status_code=200)
async def supply_order_list(request: Request, world: SellerWorld) -> dict:
    req = await parse(request, SupplyListRequest)
    check_limit(req.limit, limits.SUPPLY_LIST_MAX_LIMIT)
    if not req.filter.states or req.sort_by not in SORT_FIELDS:
        raise bad_request("filter.states and a valid sort_by are required")
    orders = [o for o in supply_orders(world) if o.state in req.filter.states
              and req.filter.order_number_search in o.number]
    if req.sort_dir.upper() == "DESC":
        orders.reverse()
    ids = [o.order_id for o in orders]
    start = ids.index(int(req.last_id)) + 1 if req.last_id and req.last_id.isdigit() and int(req.last_id) in ids else 0
    page = ids[start:start + req.limit]
    return {"order_ids": page, "last_id": str(page[-1]) if start + len(page) < len(ids) else ""}


class SupplyGetRequest(msgspec.Struct):
    order_ids: list[int]


@post("/v3/supply-order/get", status_code=200)
async def supply_order_get(request: Request, world: SellerWorld) -> dict:
    req = await parse(request, SupplyGetRequest)
    check_limit(len(req.order_ids), limits.SUPPLY_GET_MAX_IDS, "order_ids")
    by_id = {o.order_id: o for o in supply_orders(world)}
    out = []
    for oid in req.order_ids:
        if (o := by_id.get(oid)) is None:
            continue
        wid, wname, cid, _ = fbo_warehouses()[o.warehouse]
        created = iso_utc(o.created)
        arrival = iso_utc(dt.datetime.combine(o.arrival, dt.time(6), tzinfo=dt.UTC)) if o.arrival else created
        out.append({
            "order_id": o.order_id, "order_number": o.number, "created_date": created, "state": o.state,
            "state_updated_date": created, "data_filling_deadline_utc": None,
            "dropoff_warehouse": {"warehouse_id": wid, "name": wname, "address": f"Россия, {wname}"},
            "order_tags": {"is_econom": False, "is_pickup": False, "is_quant": False, "is_super_fbo": False,
                           "is_virtual": False, "product_super_fbo": False, "seller_warehouse_id": 0,
                           "original_supply_id": 0},
            "supplies": [{"supply_id": o.supply_id, "bundle_id": f"bundle-{o.supply_id}", "state": o.state,
                          "is_crossdock": False, "macrolocal_cluster_id": next(m for i, _, m, _ in CLUSTERS if i == cid),
                          "storage_warehouse": {"warehouse_id": wid, "name": wname, "address": f"Россия, {wname}",
                                                "arrival_date": arrival}, "supply_tags": {}}],
            "timeslot": {"timeslot": {"from": arrival, "to": arrival},
                         "timezone_info": {"iana_name": "Europe/Moscow", "offset": "10800"}},
        })
    return {"orders": out}


class BundleRequest(msgspec.Struct):
    bundle_ids: list[str]
    limit: int
    last_id: str = ""
    is_asc: bool = True
    query: str = ""
    sort_field: str = "SKU"


@post("/v1/supply-order/bundle", status_code=200)
async def supply_order_bundle(request: Request, world: SellerWorld) -> dict:
    """The items of one supply (`bundle-<supply_id>`), by SKU, paged by `last_id` (the last SKU sent)."""
    req = await parse(request, BundleRequest)
    check_limit(req.limit, limits.SUPPLY_BUNDLE_MAX_LIMIT)
    if len(req.bundle_ids) != 1:
        raise bad_request("bundle_ids must hold exactly one bundle id")
    by_bundle = {f"bundle-{o.supply_id}": o for o in supply_orders(world)}
    o = by_bundle.get(req.bundle_ids[0])
    c = world.catalog
    units: dict[int, int] = {}
    for pos, qty in (o.items if o is not None else ()):
        units[int(c.sku[pos])] = units.get(int(c.sku[pos]), 0) + qty
    skus = sorted(units)
    start = next((i + 1 for i, s in enumerate(skus) if str(s) == req.last_id), 0) if req.last_id else 0
    page = skus[start:start + req.limit]
    items = []
    for sku in page:
        pos = int(c.index_of_sku(np.array([sku]))[0])
        items.append({"sku": sku, "name": c.name(pos), "offer_id": c.offer_id(pos), "quantity": units[sku],
                      "barcode": c.barcode(pos), "product_id": int(c.product_id[pos]), "quant": 1,
                      "is_quant_editable": False, "volume_in_litres": float(c.volume_weight[pos]),
                      "total_volume_in_litres": round(float(c.volume_weight[pos]) * units[sku], 2),
                      "contractor_item_code": c.offer_id(pos), "sfbo_attribute": "ITEM_SFBO_ATTRIBUTE_NONE",
                      "shipment_type": "BUNDLE_ITEM_SHIPMENT_TYPE_GENERAL", "tags": [], "placement_zone": "SORT",
                      "icon_path": ""})
    has_next = start + len(page) < len(skus)
    return {"items": items, "total_count": len(skus), "has_next": has_next,
            "last_id": str(page[-1]) if page and has_next else ""}
