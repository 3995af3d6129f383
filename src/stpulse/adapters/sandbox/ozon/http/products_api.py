"""/v3/product/list, /v3/product/info/list, /v5/product/info/prices, /v4/product/info/stocks."""

from __future__ import annotations

import base64

import msgspec
import numpy as np
from litestar import Request, post

from stpulse.adapters.sandbox.ozon import limits
from stpulse.adapters.sandbox.ozon.http.errors import bad_request
from stpulse.adapters.sandbox.ozon.http.parsing import check_limit, parse
from stpulse.adapters.sandbox.ozon.reference import fbo_warehouses
from stpulse.adapters.sandbox.ozon.stocks import fbo_stock_rows, fbs_stock
from stpulse.adapters.sandbox.ozon.world import SellerWorld

CREATED_AT = "2024-01-15T09:00:00Z"


class ProductFilter(msgspec.Struct):
    offer_id: list[str] = []
    product_id: list[int] = []
    visibility: str = "ALL"


_ARCHIVED = frozenset({"ARCHIVED", "AUTO_ARCHIVED", "MANUAL_ARCHIVED", "SEASONAL_AUTO_ARCHIVED"})


def _positions(world: SellerWorld, f: ProductFilter) -> np.ndarray:
    """Catalogue positions matching the filter, ascending by product_id. Ozon's `ALL` means «все товары,
    кроме архивных»; the generated sellers archive nothing, so an archived filter finds no product."""
    c = world.catalog
    pos = np.arange(0 if f.visibility in _ARCHIVED else c.n)
    if f.offer_id:
        wanted = set(f.offer_id)
        pos = np.array([i for i in pos.tolist() if c.offer_id(i) in wanted], dtype=np.int64)
    if f.product_id:
        pos = pos[np.isin(c.product_id[pos], np.array(f.product_id, dtype=np.int64))]
    return pos


def _cursor_in(cursor: str) -> int:
    if not cursor:
        return 0
    try:
        return int(base64.urlsafe_b64decode(cursor.encode()).decode())
    except ValueError:
        raise bad_request("cursor: invalid value") from None


def _cursor_out(next_pos: int, total: int) -> str:
    return base64.urlsafe_b64encode(str(next_pos).encode()).decode() if next_pos < total else ""


class ProductListRequest(msgspec.Struct):
    filter: ProductFilter = msgspec.field(default_factory=ProductFilter)
    last_id: str = ""
    limit: int = limits.PRODUCT_LIST_MAX_LIMIT


@post("/v3/product/list", status_code=200)
async def product_list(request: Request, world: SellerWorld) -> dict:
    req = await parse(request, ProductListRequest)
    check_limit(req.limit, limits.PRODUCT_LIST_MAX_LIMIT)
    c, pos = world.catalog, _positions(world, req.filter)
    start = _cursor_in(req.last_id)
    page = pos[start:start + req.limit]
    stock_fbs, _ = fbs_stock(world)
    items = [{"product_id": int(c.product_id[i]), "offer_id": c.offer_id(i), "has_fbo_stocks": True,
              "has_fbs_stocks": bool(stock_fbs[i] > 0), "archived": False, "is_discounted": False, "quants": []}
             for i in page.tolist()]
    return {"result": {"items": items, "total": int(pos.size),
                       "last_id": _cursor_out(start + page.size, int(pos.size))}}


class InfoRequest(msgspec.Struct):
    offer_id: list[str] = []
    product_id: list[int] = []
    sku: list[int] = []


@post("/v3/product/info/list", status_code=200)
async def product_info(request: Request, world: SellerWorld) -> dict:
    req = await parse(request, InfoRequest)
    if len(req.offer_id) + len(req.product_id) + len(req.sku) > limits.PRODUCT_INFO_MAX_IDS:
        raise bad_request(f"at most {limits.PRODUCT_INFO_MAX_IDS} identifiers per request")
    c = world.catalog
    wanted = set(_positions(world, ProductFilter(offer_id=req.offer_id)).tolist()) if req.offer_id else set()
    if req.product_id:
        wanted |= set(np.flatnonzero(np.isin(c.product_id, np.array(req.product_id, dtype=np.int64))).tolist())
    if req.sku:
        wanted |= {int(p) for p in c.index_of_sku(np.array(req.sku, dtype=np.int64)).tolist() if p >= 0}
    return {"items": [_info(world, i) for i in sorted(wanted)]}


def _info(world: SellerWorld, i: int) -> dict:
    c = world.catalog
    cat_id, cat_name, bp = c.category_of(i)
    price = int(c.price[i])
    present, reserved = fbs_stock(world)
    return {
        "id": int(c.product_id[i]), "name": c.name(i), "offer_id": c.offer_id(i), "sku": int(c.sku[i]),
        "barcodes": [c.barcode(i)], "description_category_id": cat_id, "type_id": 90000 + int(c.category[i]),
        "created_at": CREATED_AT, "updated_at": CREATED_AT, "currency_code": "RUB",
        "price": f"{price / 100:.2f}", "old_price": f"{int(c.old_price[i]) / 100:.2f}",
        "min_price": f"{price * 0.9 / 100:.2f}", "vat": "0.22", "volume_weight": float(c.volume_weight[i]),
        "is_archived": False, "is_autoarchived": False, "is_discounted": False, "is_kgt": False,
        "images": [], "primary_image": [], "color_image": [], "images360": [],
        "commissions": [{"sale_schema": s, "percent": bp / 100, "value": round(price * bp / 1_000_000, 2),
                         "delivery_amount": int(c.logistic[i]) / 100, "return_amount": int(c.logistic[i]) / 100}
                        for s in ("FBO", "FBS")],
        "statuses": {"status": "price_sent", "status_name": "Продается", "moderate_status": "approved",
                     "validation_status": "success", "is_created": True},
        "stocks": {"has_stock": True, "stocks": [
            {"source": "fbs", "sku": int(c.sku[i]), "present": int(present[i]), "reserved": int(reserved[i])}]},
        "model_info": {"model_id": int(c.product_id[i]) // 4, "count": 1},
        "sources": [{"sku": int(c.sku[i]), "source": "SDS", "created_at": CREATED_AT,
                     "shipment_type": "SHIPMENT_TYPE_GENERAL", "quant_code": ""}],
        "visibility_details": {"has_price": True, "has_stock": True}, "errors": [],
    }


class CursorRequest(msgspec.Struct):
    limit: int
    filter: ProductFilter = msgspec.field(default_factory=ProductFilter)
    cursor: str = ""


@post("/v5/product/info/prices", status_code=200)
async def product_prices(request: Request, world: SellerWorld) -> dict:
    req = await parse(request, CursorRequest)
    check_limit(req.limit, limits.PRICES_MAX_LIMIT)
    pos = _positions(world, req.filter)
    start = _cursor_in(req.cursor)
    page = pos[start:start + req.limit].tolist()
    return {"items": [_price(world, i) for i in page], "total": int(pos.size),
            "cursor": _cursor_out(start + len(page), int(pos.size))}


def _price(world: SellerWorld, i: int) -> dict:
    c = world.catalog
    price, bp, logistic = int(c.price[i]) / 100, int(c.commission_bp[i]) / 100, int(c.logistic[i]) / 100
    return {
        "product_id": int(c.product_id[i]), "offer_id": c.offer_id(i), "volume_weight": float(c.volume_weight[i]),
        "acquiring": round(price * 0.015, 2),
        "price": {"price": price, "old_price": int(c.old_price[i]) / 100, "min_price": round(price * 0.9, 2),
                  "marketing_seller_price": price, "net_price": 0, "retail_price": 0, "vat": 0.22,
                  "currency_code": "RUB", "auto_action_enabled": False, "auto_add_to_ozon_actions_list_enabled": False},
        "commissions": {"sales_percent_fbo": bp, "sales_percent_fbs": bp, "sales_percent_rfbs": bp,
                        "sales_percent_fbp": bp, "fbo_deliv_to_customer_amount": round(price * 0.006, 2),
                        "fbo_direct_flow_trans_min_amount": logistic, "fbo_direct_flow_trans_max_amount": logistic,
                        "fbo_return_flow_amount": logistic, "fbs_deliv_to_customer_amount": round(price * 0.006, 2),
                        "fbs_direct_flow_trans_min_amount": logistic, "fbs_direct_flow_trans_max_amount": logistic,
                        "fbs_first_mile_min_amount": 10, "fbs_first_mile_max_amount": 10,
                        "fbs_return_flow_amount": logistic},
        "marketing_actions": None, "price_indexes": {"color_index": "WITHOUT_INDEX"},
    }


@post("/v4/product/info/stocks", status_code=200)
async def product_stocks(request: Request, world: SellerWorld) -> dict:
    req = await parse(request, CursorRequest)
    check_limit(req.limit, limits.STOCKS_MAX_LIMIT)
    c, pos = world.catalog, _positions(world, req.filter)
    start = _cursor_in(req.cursor)
    page = pos[start:start + req.limit].tolist()
    present, reserved = fbs_stock(world)
    fbo: dict[int, list] = {}
    for row in fbo_stock_rows(world):
        fbo.setdefault(row.sku_pos, []).append(row)
    items = []
    for i in page:
        rows = fbo.get(i, [])
        stocks = [{"type": "fbs", "sku": int(c.sku[i]), "present": int(present[i]), "reserved": int(reserved[i]),
                   "shipment_type": "SHIPMENT_TYPE_GENERAL", "warehouse_ids": [c.fbs_warehouse_id]},
                  {"type": "fbo", "sku": int(c.sku[i]), "present": sum(r.available for r in rows),
                   "reserved": sum(r.reserved for r in rows), "shipment_type": "SHIPMENT_TYPE_GENERAL",
                   "warehouse_ids": [fbo_wid(r.warehouse) for r in rows]}]
        items.append({"product_id": int(c.product_id[i]), "offer_id": c.offer_id(i), "stocks": stocks})
    return {"items": items, "total": int(pos.size), "cursor": _cursor_out(start + len(page), int(pos.size))}


def fbo_wid(warehouse: int) -> int:
    return fbo_warehouses()[warehouse][0]
