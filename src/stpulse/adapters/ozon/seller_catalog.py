"""Catalogue, prices, stocks, FBO analytics, clusters and supply orders."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

import msgspec

from stpulse.adapters.ozon import mapping as m
from stpulse.adapters.ozon import paging as pg
from stpulse.adapters.ozon import wire_catalog as w
from stpulse.adapters.ozon import wire_supply as ws
from stpulse.adapters.ozon.client import OzonHttp
from stpulse.application.ozon.records import (
    AnalyticsStockRow,
    BundleItem,
    Cluster,
    Product,
    ProductInfo,
    ProductPrice,
    StockRow,
    SupplyOrder,
    TurnoverRow,
)

PRODUCTS = "/v3/product/list"
PRODUCT_INFO = "/v3/product/info/list"
PRICES = "/v5/product/info/prices"
STOCKS = "/v4/product/info/stocks"
ANALYTICS_STOCKS = "/v1/analytics/stocks"
TURNOVER = "/v1/analytics/turnover/stocks"
CLUSTERS = "/v1/cluster/list"
SUPPLY_LIST = "/v3/supply-order/list"
SUPPLY_GET = "/v3/supply-order/get"
SUPPLY_BUNDLE = "/v1/supply-order/bundle"

T = TypeVar("T")


class CatalogCalls:
    _http: OzonHttp

    async def products(self) -> list[Product]:
        """Live and archived products (archived ones still name the SKUs of past sales)."""
        found: dict[int, Product] = {}
        for visibility in ("ALL", "ARCHIVED"):
            for product in await self._product_list(visibility):
                found.setdefault(product.product_id, product)
        return list(found.values())

    async def _product_list(self, visibility: str) -> list[Product]:
        items: list[Product] = []
        last_id = ""
        while True:
            body = {"filter": {"visibility": visibility}, "last_id": last_id, "limit": pg.PRODUCTS_LIMIT}
            result = (await self._http.post_as(PRODUCTS, body, w.ProductList)).result or w.ProductListResult()
            items += [m.product(raw, PRODUCTS) for raw in result.items or []]
            next_id = result.last_id or ""
            done = result.total is not None and len(items) >= result.total
            if not result.items or not next_id or next_id == last_id or done:
                return items
            last_id = next_id

    async def product_info(self, product_ids: Sequence[int]) -> list[ProductInfo]:
        infos: list[ProductInfo] = []
        for batch in pg.batched(list(dict.fromkeys(product_ids)), pg.PRODUCT_INFO_BATCH):
            answer = await self._http.post_as(PRODUCT_INFO, {"product_id": batch}, w.ProductInfoList)
            infos += [m.product_info(raw, PRODUCT_INFO) for raw in answer.items or []]
        return infos

    async def prices(self) -> list[ProductPrice]:
        raws = await self._cursor_pages(PRICES, pg.PRICES_LIMIT)
        return [m.product_price(raw, PRICES) for raw in raws]

    async def stocks(self) -> list[StockRow]:
        raws = await self._cursor_pages(STOCKS, pg.STOCKS_LIMIT)
        return [row for raw in raws for row in m.stock_rows(raw, STOCKS)]

    async def _cursor_pages(self, path: str, limit: int) -> list[msgspec.Raw]:
        raws: list[msgspec.Raw] = []
        cursor = ""
        while True:
            body = {"cursor": cursor, "filter": {"visibility": "ALL"}, "limit": limit}
            answer = await self._http.post_as(path, body, w.CursorPage)
            raws += answer.items or []
            next_cursor = answer.cursor or ""
            done = answer.total is not None and len(raws) >= answer.total
            if not answer.items or not next_cursor or next_cursor == cursor or done:
                return raws
            cursor = next_cursor

    async def analytics_stocks(self, skus: Sequence[int]) -> list[AnalyticsStockRow]:
        async def one(batch: list[int]) -> list[AnalyticsStockRow]:
            answer = await self._http.post_as(ANALYTICS_STOCKS, {"skus": batch}, ws.RawItems)
            return [m.analytics_stock(raw, ANALYTICS_STOCKS) for raw in answer.items or []]

        return await _in_batches(list(dict.fromkeys(skus)), pg.ANALYTICS_SKUS, one)

    async def turnover(self) -> list[TurnoverRow]:
        """Offset paging under Ozon's own budget for this method: one request a minute per Client-Id."""
        bucket = self._http.bucket_for("turnover", pg.TURNOVER_RATE)
        rows: list[TurnoverRow] = []
        while True:
            body = {"limit": pg.TURNOVER_LIMIT, "offset": len(rows)}
            answer = await self._http.post_as(TURNOVER, body, ws.RawItems, bucket=bucket)
            items = answer.items or []
            rows += [m.turnover(raw, TURNOVER) for raw in items]
            if len(items) < pg.TURNOVER_LIMIT:
                return rows

    async def clusters(self, cluster_type: str = "CLUSTER_TYPE_OZON") -> list[Cluster]:
        answer = await self._http.post_as(CLUSTERS, {"cluster_type": cluster_type}, ws.ClusterList)
        return [m.cluster(raw, CLUSTERS) for raw in answer.clusters or []]

    async def supply_orders(self, states: Sequence[str]) -> list[SupplyOrder]:
        ids = await self._supply_order_ids(states)

        async def one(batch: list[int]) -> list[SupplyOrder]:
            answer = await self._http.post_as(SUPPLY_GET, {"order_ids": batch}, ws.SupplyOrderGet)
            return [m.supply_order(raw, SUPPLY_GET) for raw in answer.orders or []]

        return await _in_batches(ids, pg.SUPPLY_GET_BATCH, one)

    async def supply_bundle(self, bundle_id: str) -> list[BundleItem]:
        """The products of one supply, paged by `last_id` while Ozon says `has_next`."""
        items: list[BundleItem] = []
        last_id = ""
        while True:
            body = {"bundle_ids": [bundle_id], "limit": pg.SUPPLY_BUNDLE_LIMIT, "last_id": last_id, "is_asc": True,
                    "sort_field": "SKU"}
            answer = await self._http.post_as(SUPPLY_BUNDLE, body, ws.BundlePage)
            items += [m.bundle_item(raw, SUPPLY_BUNDLE) for raw in answer.items or []]
            next_id = answer.last_id or ""
            if not answer.has_next or not answer.items or not next_id or next_id == last_id:
                return items
            last_id = next_id

    async def _supply_order_ids(self, states: Sequence[str]) -> list[int]:
        ids: list[int] = []
        last_id = ""
        while True:
            body = {"filter": {"states": list(states)}, "last_id": last_id, "limit": pg.SUPPLY_LIST_LIMIT,
                    "sort_by": "ORDER_CREATION", "sort_dir": "ASC"}
            answer = await self._http.post_as(SUPPLY_LIST, body, ws.SupplyOrderList)
            ids += answer.order_ids or []
            next_id = answer.last_id or ""
            if not answer.order_ids or not next_id or next_id == last_id:
                return list(dict.fromkeys(ids))
            last_id = next_id


async def _in_batches(
    items: list[int], size: int, call: Callable[[list[int]], Awaitable[list[T]]]
) -> list[T]:
    out: list[T] = []
    for batch in pg.batched(items, size):
        out += await call(batch)
    return out
