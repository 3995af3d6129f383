"""The Ozon operational facts writers of `FactsRepo`: buyouts, postings, returns, products, stock snapshots and
supplies, each renewing its fact stamp (the reports' cache key)."""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
import zlib
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import msgspec
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from stpulse.adapters.db import bulk
from stpulse.adapters.db.ledger import models as f
from stpulse.adapters.db.ozon import models as o
from stpulse.adapters.db.ozon.order_months import months_of_postings, refresh_order_months
from stpulse.application.ozon.records import (
    AnalyticsStockRow,
    DatedBuyout,
    Posting,
    Product,
    ProductInfo,
    ReturnRecord,
    StockRow,
    SupplyItem,
)
from stpulse.domain.kernel.moscow import as_moscow, moscow_today
from stpulse.domain.kernel.period import EPOCH

_table = bulk.table_of
RAW_DAYS, POSTINGS, RETURNS = _table(o.RawDayRow), _table(o.PostingRow), _table(o.ReturnRow)
PRODUCTS, STOCKS = _table(f.ProductRow), _table(o.StockSnapshotRow)
ANOMALIES, BUYOUTS = _table(o.AnomalyRow), _table(f.BuyoutLineRow)
POSTING_ITEMS, FACT_STAMPS = _table(f.PostingItemRow), _table(f.FactStampRow)
POSTING_WAREHOUSES, SUPPLY_ITEMS = _table(o.PostingWarehouseRow), _table(o.SupplyItemRow)
_ITEM_COLS = ("shop_id", "posting_number", "line", "sku", "created_day", "status", "quantity", "price")
_POSTING_COLS = ("shop_id", "posting_number", "scheme", "order_id", "status", "created_at", "cancel_reason_id",
                 "warehouse_id", "items", "raw")
_RETURN_COLS = ("shop_id", "return_id", "posting_number", "sku", "quantity", "type", "reason", "returned_at", "raw",
                "returned_day", "price", "status", "compensation_status", "utilization_sum")
_PRODUCT_COLS = ("shop_id", "product_id", "offer_id", "sku", "name", "barcodes", "price", "archived", "raw")
_BUYOUT_COLS = ("shop_id", "posting_number", "sku", "day", "offer_id", "name", "quantity", "seller_price",
                "buyout_price", "amount", "vat_percent", "raw")
_STOCK_COLS = ("shop_id", "day", "sku", "warehouse_id", "cluster_name", "warehouse_name", "available", "transit",
               "reserved")
_POSTING_WAREHOUSE_COLS = ("shop_id", "posting_number", "sku", "day", "warehouse_id", "quantity", "cancelled")
_SUPPLY_ITEM_COLS = ("shop_id", "supply_id", "sku", "order_id", "state", "warehouse_id", "warehouse_name",
                     "cluster_name", "arrival_date", "quantity")
FBS_CLUSTER, FBS_WAREHOUSE = "FBS", "Склад продавца (FBS)"


def moscow_day(moment: dt.datetime | None) -> dt.date:
    return as_moscow(moment).date() if moment is not None else EPOCH


_SMALL = 16_384


def pack_raw(raw: bytes) -> bytes:
    """zlib at level 1. A posting or product (~1 KB) gets a 4 KB window and a small hash table: zlib's default
    set-up clears ~300 KB per call and costs 10× the compression itself. Any zlib reader inflates both."""
    if len(raw) >= _SMALL:
        return zlib.compress(raw, 1)
    packer = zlib.compressobj(1, zlib.DEFLATED, 12, 4)
    return packer.compress(raw) + packer.flush()


class FactWriters:
    s: AsyncSession

    async def write_buyouts(self, shop_id: uuid.UUID, first: dt.date, last: dt.date,
                            buyouts: Sequence[DatedBuyout]) -> None:
        """Replace the shop's buyout lines of first..last (one per posting and SKU), the raw answers of those days
        and their anomalies (source «buyouts»): writing a window again changes nothing."""
        await self.s.execute(sa.delete(BUYOUTS).where(BUYOUTS.c.shop_id == shop_id, BUYOUTS.c.day.between(first, last)))
        unique = {(b.row.posting_number, b.row.sku): b for b in buyouts}
        rows = [(shop_id, b.row.posting_number[:64], b.row.sku, b.day, b.row.offer_id[:128], b.row.name[:500],
                 b.row.quantity, b.row.seller_price_per_instance, b.row.buyout_price, b.row.amount, b.row.vat_percent,
                 pack_raw(b.row.raw)) for b in unique.values()]
        await bulk.upsert(self.s, BUYOUTS, _BUYOUT_COLS, rows, ("shop_id", "posting_number", "sku"))
        by_day: dict[dt.date, list[bytes]] = defaultdict(list)
        for b in buyouts:
            by_day[b.day].append(b.row.raw)
        raw_rows = [(shop_id, "buyouts", day, len(by_day.get(day, ())),
                     pack_raw(b"[" + b",".join(by_day.get(day, ())) + b"]"))
                    for day in (first + dt.timedelta(days=i) for i in range((last - first).days + 1))]
        await bulk.upsert(self.s, RAW_DAYS, ("shop_id", "source", "day", "records", "payload"), raw_rows,
                          ("shop_id", "source", "day"))
        await self.s.execute(sa.delete(ANOMALIES).where(ANOMALIES.c.shop_id == shop_id, ANOMALIES.c.source == "buyouts",
                                                        ANOMALIES.c.day.between(first, last)))
        doubts = {(b.row.sku, reason[:300]): (shop_id, "buyouts", b.row.sku, reason[:300], b.day, pack_raw(b.row.raw))
                  for b in buyouts for reason in (*b.row.anomalies, *b.anomalies)}
        await bulk.upsert(self.s, ANOMALIES, ("shop_id", "source", "record_id", "reason", "day", "raw"),
                          list(doubts.values()), ("shop_id", "source", "record_id", "reason"))

    async def upsert_postings(self, shop_id: uuid.UUID, postings: Sequence[Posting]) -> None:
        unique = {p.posting_number: p for p in postings}
        rows = [(shop_id, p.posting_number, p.scheme, p.order_id, p.status, p.created_at, p.cancel_reason_id,
                 p.warehouse_id, len(p.products), pack_raw(p.raw)) for p in unique.values()]
        await bulk.upsert(self.s, POSTINGS, _POSTING_COLS, rows, ("shop_id", "posting_number"))
        items = [(shop_id, p.posting_number, n, x.sku, moscow_day(p.created_at or p.in_process_at), p.status[:64],
                  max(x.quantity, 0), max(x.price, 0))
                 for p in unique.values() if (p.created_at or p.in_process_at) is not None
                 for n, x in enumerate(p.products)]
        months = await months_of_postings(self.s, shop_id, unique) if items else set()  # where they were
        await bulk.upsert(self.s, POSTING_ITEMS, _ITEM_COLS, items, ("shop_id", "posting_number", "line"))
        await refresh_order_months(self.s, shop_id, months | {i[4] for i in items})  # the monthly sums follow
        by_warehouse: dict[tuple[str, int], tuple[Any, ...]] = {}
        for p in unique.values():
            moment = p.created_at or p.in_process_at
            if moment is None:
                continue
            day = moscow_today(moment)
            for product in p.products:
                key = (p.posting_number, product.sku)
                quantity = product.quantity + (by_warehouse[key][5] if key in by_warehouse else 0)
                by_warehouse[key] = (shop_id, p.posting_number, product.sku, day, p.warehouse_id or 0, quantity,
                                    p.status == "cancelled")
        await bulk.upsert(self.s, POSTING_WAREHOUSES, _POSTING_WAREHOUSE_COLS, list(by_warehouse.values()),
                          ("shop_id", "posting_number", "sku"))
        await self.renew_stamp(shop_id, "postings")

    async def renew_stamp(self, shop_id: uuid.UUID, source: str) -> None:
        """A new random stamp of the shop's `source`: reports reading it are computed anew (their cache key)."""
        stamp = int.from_bytes(secrets.token_bytes(7), "big")
        await bulk.upsert(self.s, FACT_STAMPS, ("shop_id", "source", "stamp"), [(shop_id, source, stamp)],
                          ("shop_id", "source"))

    async def upsert_returns(self, shop_id: uuid.UUID, returns: Sequence[ReturnRecord]) -> None:
        unique = {r.id: r for r in returns}
        rows = [(shop_id, r.id, r.posting_number, r.sku, r.quantity, r.type[:32], r.reason[:500], r.returned_at,
                 pack_raw(r.raw), moscow_day(r.returned_at) if r.returned_at else None, max(r.price, 0), r.status[:64],
                 r.compensation_status[:32], max(r.utilization_sum, 0)) for r in unique.values()]
        await bulk.upsert(self.s, RETURNS, _RETURN_COLS, rows, ("shop_id", "return_id"))
        await self.renew_stamp(shop_id, "returns")

    async def upsert_products(self, shop_id: uuid.UUID, products: Sequence[Product],
                              infos: Sequence[ProductInfo]) -> None:
        info = {i.product_id: i for i in infos}
        unique = {p.product_id: p for p in products}
        rows = []
        for p in unique.values():
            i = info.get(p.product_id)
            rows.append((shop_id, p.product_id, p.offer_id[:128], i.sku if i else 0, (i.name if i else "")[:500],
                         ",".join(i.barcodes)[:1000] if i else "", i.price if i else 0, p.archived,
                         pack_raw(b'{"list":' + p.raw + b',"info":' + (i.raw if i and i.raw else b"null") + b"}")))
        await bulk.upsert(self.s, PRODUCTS, _PRODUCT_COLS, rows, ("shop_id", "product_id"))

    async def replace_stocks(self, shop_id: uuid.UUID, day: dt.date, rows: Sequence[AnalyticsStockRow],
                             fbs: Sequence[StockRow] = ()) -> None:
        """The day's snapshot. FBO: per warehouse, reserved = «Готовим к продаже» (`valid_stock_count`); the
        seller's own warehouse: present − reserved available, under the cluster «FBS»."""
        table = STOCKS
        await self.s.execute(sa.delete(table).where(table.c.shop_id == shop_id, table.c.day == day))
        unique = {(r.sku, r.warehouse_id or 0): r for r in rows}
        values = [(shop_id, day, r.sku, key[1], r.cluster_name[:200], r.warehouse_name[:200], r.available, r.transit,
                   r.valid) for key, r in unique.items()]
        own = {(s.sku, s.warehouse_ids[0] if s.warehouse_ids else 0): s for s in fbs if s.sku}
        values += [(shop_id, day, s.sku, key[1], FBS_CLUSTER, FBS_WAREHOUSE, max(0, s.present - s.reserved), 0,
                    s.reserved) for key, s in own.items() if key not in unique]
        await bulk.insert(self.s, table, _STOCK_COLS, values)
        await self.renew_stamp(shop_id, "stocks")

    async def replace_supply_items(self, shop_id: uuid.UUID, items: Sequence[SupplyItem]) -> None:
        await self.s.execute(sa.delete(SUPPLY_ITEMS).where(SUPPLY_ITEMS.c.shop_id == shop_id))
        merged: dict[tuple[int, int], SupplyItem] = {}
        for i in items:
            old = merged.get((i.supply_id, i.sku))
            merged[(i.supply_id, i.sku)] = i if old is None else msgspec.structs.replace(
                i, quantity=old.quantity + i.quantity)
        await bulk.insert(self.s, SUPPLY_ITEMS, _SUPPLY_ITEM_COLS, [
            (shop_id, i.supply_id, i.sku, i.order_id, i.state[:64], i.warehouse_id, i.warehouse_name[:200],
             i.cluster_name[:200], i.arrival_date, i.quantity) for i in merged.values()])
