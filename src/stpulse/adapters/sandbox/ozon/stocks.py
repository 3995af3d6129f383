"""Stock by warehouse and cluster as of `today`, sales velocity, and supply orders in flight."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from stpulse.adapters.sandbox.ozon.origin import day_index
from stpulse.adapters.sandbox.ozon.profiles import STREAM_STOCK, STREAM_SUPPLY, rng_for
from stpulse.adapters.sandbox.ozon.reference import fbo_warehouses
from stpulse.adapters.sandbox.ozon.world import SellerWorld

SUPPLY_STATES_BY_AGE = ((3, "READY_TO_SUPPLY"), (7, "IN_TRANSIT"), (14, "ACCEPTANCE_AT_STORAGE_WAREHOUSE"))


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
    rng = rng_for(world.seed, STREAM_STOCK, day_index(world.today))
    daily = units_sold(world, 28) / 28.0
    cover = rng.uniform(3, 90, world.catalog.n) * (rng.random(world.catalog.n) > 0.05)
    total = np.round(daily * cover + rng.integers(0, 4, world.catalog.n)).astype(np.int64)
    rows = []
    for pos in range(world.catalog.n):
        whs = [int(w) for w in world.catalog.warehouses[pos] if w >= 0]
        shares = rng.dirichlet(np.ones(len(whs)))
        split = np.floor(shares * total[pos]).astype(np.int64)
        split[0] += total[pos] - split.sum()
        for wh, available in zip(whs, split.tolist(), strict=True):
            transit = int(rng.integers(0, 20)) if rng.random() < 0.15 else 0
            rows.append(StockRow(pos, wh, available, transit, int(rng.integers(0, 3)), int(rng.integers(0, 2))))
    return rows


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


def supply_orders(world: SellerWorld) -> list[SupplyOrder]:
    """About one supply order a week over the last 120 days; states follow their age."""
    if "supply_orders" in world.memo:
        return world.memo["supply_orders"]
    rng = rng_for(world.seed, STREAM_SUPPLY, day_index(world.today))
    used = int(np.max(world.catalog.warehouses)) + 1
    orders = []
    for k, age in enumerate(sorted(rng.choice(120, size=17, replace=False).tolist(), reverse=True)):
        created = dt.datetime.combine(world.today - dt.timedelta(days=age), dt.time(9, 30), tzinfo=dt.UTC)
        state = next((s for limit, s in SUPPLY_STATES_BY_AGE if age < limit), "COMPLETED")
        if rng.random() < 0.06:
            state = "CANCELLED"
        oid = world.salt * 10**8 + 10**7 + k
        orders.append(SupplyOrder(oid, f"{2000000000 + oid % 10**9}", created, state,
                                  int(rng.integers(0, used)), oid * 10 + 1))
    world.memo["supply_orders"] = orders
    return orders
