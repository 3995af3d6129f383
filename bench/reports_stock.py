"""Bench and test data: a sandbox seller's stock history written as the daily syncs would have left it.

Each day's snapshot (`ozon_stock_snapshots`) is the sandbox's ground truth for that day (stock_history.stock_arrays),
the units ordered per day and warehouse (`ozon_posting_warehouses`, one row per SKU, warehouse and day: the reports only
sum them) come from the same generator, and the supplies not yet arrived (`ozon_supply_items`) from its supply
orders — written with COPY, so a large seller's months load in seconds."""

from __future__ import annotations

import datetime as dt
import uuid

import asyncpg
import numpy as np

from stpulse.adapters.sandbox.ozon.reference import fbo_warehouses
from stpulse.adapters.sandbox.ozon.stock_history import sold_on, stock_arrays, supply_orders_with_items
from stpulse.adapters.sandbox.ozon.world import SellerWorld

SNAPSHOT_COLS = ["shop_id", "day", "sku", "warehouse_id", "cluster_name", "warehouse_name", "available", "transit",
                 "reserved"]
ITEM_COLS = ["shop_id", "posting_number", "sku", "day", "warehouse_id", "quantity", "cancelled"]


async def load_stock_history(dsn: str, shop_id: uuid.UUID, world: SellerWorld, first: dt.date, last: dt.date,
                             items_from: dt.date | None = None) -> int:
    """Snapshots of first..last, units ordered from `items_from` (default: first) to last, supplies in flight on
    `last`. Returns the number of snapshot rows."""
    whs = fbo_warehouses()
    wid = np.array([w[0] for w in whs], np.int64)
    sku = world.catalog.sku
    rows = 0
    conn = await asyncpg.connect(dsn)
    try:
        for day in world.days(first, last):
            a = stock_arrays(world, day)
            if a is None:
                continue
            s, h = np.nonzero(a["seen"])
            records = list(zip([shop_id] * len(s), [day] * len(s), sku[s].tolist(), wid[h].tolist(),
                               [whs[i][3] for i in h.tolist()], [whs[i][1] for i in h.tolist()],
                               a["available"][s, h].tolist(), a["transit"][s, h].tolist(),
                               a["reserved"][s, h].tolist(), strict=True))
            await conn.copy_records_to_table("ozon_stock_snapshots", records=records, columns=SNAPSHOT_COLS)
            rows += len(records)
        for day in world.days(items_from or first, last):
            demand = sold_on(world, day)
            s, h = np.nonzero(demand)
            records = [(shop_id, f"B{day:%Y%m%d}-{p}-{w}", int(sku[p]), day, int(wid[w]), int(demand[p, w]), False)
                       for p, w in zip(s.tolist(), h.tolist(), strict=True)]
            await conn.copy_records_to_table("ozon_posting_warehouses", records=records, columns=ITEM_COLS)
        supplies = []
        for o in supply_orders_with_items(world):
            if o.arrival > last >= o.created:
                w = whs[o.warehouse]
                units: dict[int, int] = {}
                for pos, qty in o.items:
                    units[int(sku[pos])] = units.get(int(sku[pos]), 0) + qty
                supplies += [(shop_id, o.supply_id, k, o.order_id, o.state, w[0], w[1], w[3], o.arrival, q)
                             for k, q in units.items()]
        await conn.copy_records_to_table("ozon_supply_items", records=supplies, columns=[
            "shop_id", "supply_id", "sku", "order_id", "state", "warehouse_id", "warehouse_name", "cluster_name",
            "arrival_date", "quantity"])
        await conn.execute("ANALYZE ozon_stock_snapshots; ANALYZE ozon_posting_warehouses")
    finally:
        await conn.close()
    return rows
