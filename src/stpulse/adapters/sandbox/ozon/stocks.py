"""Stock by warehouse and cluster as of `today`, sales velocity, and supply orders in flight."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from stpulse.adapters.sandbox.ozon.origin import day_index
from stpulse.adapters.sandbox.ozon.profiles import STREAM_STOCK, rng_for
from stpulse.adapters.sandbox.ozon.reference import fbo_warehouses
from stpulse.adapters.sandbox.ozon.stock_history import stock_on, supply_orders_with_items
from stpulse.adapters.sandbox.ozon.world import SellerWorld


@dataclass(frozen=True)
class StockRow:
    sku_pos: int
    warehouse: int  # index into fbo_warehouses()
    available: int
    transit: int
    reserved: int
    returning: int


def units_sold(world: SellerWorld, days: int) -> np.ndarray:
    """Units per SKU position in orders created in the last `days` days (not cancelled)."""
    key = ("units_sold", days)
    if key not in world.memo:
        units = np.zeros(world.catalog.n, dtype=np.int64)
        for back in range(days):
            o = world.origin(world.today - dt.timedelta(days=back))
            if o is not None and o.n_postings:
                live = ~o.cancelled[o.line_posting]
                np.add.at(units, o.sku_pos[live], o.qty[live])
        world.memo[key] = units
    return world.memo[key]


def fbo_stock_rows(world: SellerWorld) -> list[StockRow]:
    if "fbo_rows" not in world.memo:
        world.memo["fbo_rows"] = _fbo_rows(world)
    return world.memo["fbo_rows"]


def _fbo_rows(world: SellerWorld) -> list[StockRow]:
    """Today's end of the day in the stock simulation (stock_history.py): it moves with sales and supplies."""
    return [StockRow(c.sku_pos, c.warehouse, c.available, c.transit, c.reserved, 0) for c in stock_on(world, world.today)]


def fbs_stock(world: SellerWorld) -> tuple[np.ndarray, np.ndarray]:
    """(present, reserved) on the seller's own FBS warehouse per SKU position."""
    rng = rng_for(world.seed, STREAM_STOCK, day_index(world.today) + 1)
    n = world.catalog.n
    return rng.integers(0, 60, n), rng.integers(0, 3, n)


def cluster_of(warehouse: int) -> tuple[int, str]:
    _, _, cid, cname = fbo_warehouses()[warehouse]
    return cid, cname


@dataclass(frozen=True)
class SupplyOrder:
    order_id: int
    number: str
    created: dt.datetime
    state: str
    warehouse: int  # storage warehouse (index into fbo_warehouses())
    supply_id: int
    arrival: dt.date | None = None
    items: tuple[tuple[int, int], ...] = ()  # (SKU position, units)


def supply_orders(world: SellerWorld) -> list[SupplyOrder]:
    """The stock simulation's supply orders of the last 120 days (stock_history.supply_orders_with_items)."""
    if "supply_orders" in world.memo:
        return world.memo["supply_orders"]
    orders = [SupplyOrder(o.order_id, o.number, dt.datetime.combine(o.created, dt.time(9, 30), tzinfo=dt.UTC),
                          o.state, o.warehouse, o.supply_id, o.arrival, o.items)
              for o in supply_orders_with_items(world)]
    world.memo["supply_orders"] = orders
    return orders
