"""The seller's FBO stock day by day: it moves with the sandbox's own sales and with supply orders that arrive.

Simulated once per world from `start` to `today` over every (SKU, warehouse) pair the seller's FBO postings use:
each morning the supplies due that day arrive, then the day's FBO orders (created that day, not cancelled) take
units off the shelf; what cannot be served is a lost sale. The stock history and the units it served are this
simulation's; the sandbox's postings are drawn independently of stock (a posting may exist on a day its warehouse
was empty), so the served units, not the postings, are the ground truth of sales by warehouse. The seller reorders when stock plus what
is on its way falls below the speed × (lead time + 7 days), in boxes of 10 for 30 days of sales; now and then a
reorder is forgotten for 7–25 days — the stock-out spells. Everything is drawn from STREAM_STOCK: the same world
always gives the same history (ground truth for the sync's daily snapshots and the supply planner).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from stpulse.adapters.sandbox.ozon.origin import day_index
from stpulse.adapters.sandbox.ozon.profiles import STREAM_STOCK, rng_for
from stpulse.adapters.sandbox.ozon.reference import fbo_warehouses
from stpulse.adapters.sandbox.ozon.world import SellerWorld

BOX = 10
COVER_DAYS = 30
REVIEW_DAYS = 7
MAX_KEPT_CELLS = 12_000_000  # days × SKUs × warehouses kept in memory: a large seller keeps its last four months
IN_FLIGHT = ("READY_TO_SUPPLY", "IN_TRANSIT", "ACCEPTANCE_AT_STORAGE_WAREHOUSE")


@dataclass(frozen=True, eq=False)
class StockSim:
    first_kept: dt.date  # the first day `available` holds
    available: np.ndarray  # int32 [kept days, n, W] at the end of each day
    sold: np.ndarray  # int32 [kept days, n, W] units served that day: FBO orders (not cancelled) the stock covered
    # supply order items, one per (order, SKU): creation and arrival day indexes, warehouse, SKU position, units
    created: np.ndarray
    arrival: np.ndarray
    warehouse: np.ndarray
    sku_pos: np.ndarray
    qty: np.ndarray

    def day(self, day: dt.date) -> int | None:
        k = (day - self.first_kept).days
        return k if 0 <= k < self.available.shape[0] else None


def n_warehouses(world: SellerWorld) -> int:
    return min(world.profile.n_fbo_warehouses, len(fbo_warehouses()))


def fbo_demand(world: SellerWorld, day: dt.date) -> np.ndarray:
    """int64 [n, W]: units of FBO postings created on `day` and not cancelled, per SKU position and warehouse — the
    posting's warehouse folded onto the SKU's own 1–4 (catalog.warehouses), where its stock is kept."""
    out = np.zeros((world.catalog.n, n_warehouses(world)), np.int64)
    o = world.origin(day)
    if o is not None and o.n_postings:
        posting = o.line_posting
        live = ~o.fbs[posting] & ~o.cancelled[posting]
        sku = o.sku_pos[live]
        own = world.catalog.warehouses[sku]  # the SKU's 1–4 warehouses: its stock sits there only
        count = (own >= 0).sum(axis=1)
        pick = own[np.arange(sku.size), o.warehouse[posting[live]] % np.maximum(count, 1)]
        np.add.at(out, (sku, pick), o.qty[live])
    return out


def simulate(world: SellerWorld) -> StockSim:
    if "stock_sim" not in world.memo:
        world.memo["stock_sim"] = _simulate(world)
    return world.memo["stock_sim"]


def _simulate(world: SellerWorld) -> StockSim:
    n, w = world.catalog.n, n_warehouses(world)
    days = (world.today - world.start).days + 1
    keep = max(1, min(days, MAX_KEPT_CELLS // max(1, n * w)))
    rng = rng_for(world.seed, STREAM_STOCK, day_index(world.start))
    lead = rng.integers(5, 15, (n, w))
    warm = sum(fbo_demand(world, world.start + dt.timedelta(days=k)) for k in range(min(14, days)))
    rate = np.asarray(warm, np.float64) / min(14, days)
    stock = np.ceil(rate * COVER_DAYS).astype(np.int64)
    ring = np.zeros((16, n, w), np.int64)  # arrivals by day index mod 16 (lead < 15)
    on_order = np.zeros((n, w), np.int64)
    blocked_until = np.full((n, w), -1, np.int64)
    available = np.zeros((keep, n, w), np.int32)
    sold = np.zeros((keep, n, w), np.int32)
    items: list[tuple[np.ndarray, ...]] = []
    for k in range(days):
        day = world.start + dt.timedelta(days=k)
        x = day_index(day)
        arriving = ring[x % 16].copy()
        ring[x % 16] = 0
        stock += arriving
        on_order -= arriving
        demand = fbo_demand(world, day)
        served = np.minimum(stock, demand)  # what the shelf could serve; the rest is a lost sale
        stock -= served
        rate = 0.9 * rate + 0.1 * demand
        day_rng = rng_for(world.seed, STREAM_STOCK, x)
        low = (stock + on_order < rate * (lead + REVIEW_DAYS)) & (rate > 0.01) & (blocked_until < x)
        lapse = low & (day_rng.random((n, w)) < 0.08)
        blocked_until[lapse] = x + day_rng.integers(7, 26, int(lapse.sum()))
        order = low & ~lapse
        if order.any():
            s, h = np.nonzero(order)
            qty = (np.ceil(rate[s, h] * COVER_DAYS / BOX).astype(np.int64) * BOX).clip(BOX)
            due = x + lead[s, h]
            np.add.at(ring, (due % 16, s, h), qty)
            on_order[s, h] += qty
            items.append((np.full(s.size, x), due, h, s, qty))
        if k >= days - keep:
            available[k - (days - keep)] = stock
            sold[k - (days - keep)] = served
    cols = [np.concatenate([it[j] for it in items]) if items else np.zeros(0, np.int64) for j in range(5)]
    return StockSim(first_kept=world.today - dt.timedelta(days=keep - 1), available=available, sold=sold,
                    created=cols[0], arrival=cols[1], warehouse=cols[2], sku_pos=cols[3], qty=cols[4])


@dataclass(frozen=True)
class StockCell:
    sku_pos: int
    warehouse: int  # index into fbo_warehouses()
    available: int
    reserved: int
    transit: int
    sold: int


def stock_arrays(world: SellerWorld, day: dt.date) -> dict[str, np.ndarray] | None:
    """Ground truth of one day as [n, W] arrays: available, reserved, transit, sold, and `seen` — the pairs that
    have stock, stock on its way, sales that day or ever had a supply (what /v1/analytics/stocks lists).

    Reserved: a third of the day's orders still waiting to be picked (never more than what is left)."""
    sim = simulate(world)
    k = sim.day(day)
    if k is None:
        return None
    x = day_index(day)
    avail, sold = sim.available[k].astype(np.int64), sim.sold[k].astype(np.int64)
    transit = np.zeros_like(avail)
    moving = (sim.created <= x) & (sim.arrival > x)
    np.add.at(transit, (sim.sku_pos[moving], sim.warehouse[moving]), sim.qty[moving])
    seen = np.zeros(avail.shape, bool)
    seen[sim.sku_pos[sim.created <= x], sim.warehouse[sim.created <= x]] = True
    seen |= (avail > 0) | (transit > 0) | (sold > 0)
    return {"available": avail, "reserved": np.minimum(avail, sold // 3), "transit": transit, "sold": sold,
            "seen": seen}


def sold_on(world: SellerWorld, day: dt.date) -> np.ndarray:
    """int64 [n, W] units served on `day` (the demand itself for a day before the kept history)."""
    sim = simulate(world)
    k = sim.day(day)
    return sim.sold[k].astype(np.int64) if k is not None else fbo_demand(world, day)


def stock_on(world: SellerWorld, day: dt.date) -> list[StockCell]:
    """Ground truth: every pair `stock_arrays` lists, as of the end of `day`."""
    a = stock_arrays(world, day)
    if a is None:
        return []
    s, h = np.nonzero(a["seen"])
    cols = [a[name][s, h].tolist() for name in ("available", "reserved", "transit", "sold")]
    return [StockCell(*cell) for cell in zip(s.tolist(), h.tolist(), *cols, strict=True)]


@dataclass(frozen=True)
class SupplyOrderItems:
    order_id: int
    number: str
    created: dt.date
    arrival: dt.date
    state: str
    warehouse: int
    supply_id: int
    items: tuple[tuple[int, int], ...]  # (SKU position, units)


def supply_orders_with_items(world: SellerWorld) -> list[SupplyOrderItems]:
    """The simulation's supply orders: one per (creation day, warehouse), states as of `today`."""
    if "supply_items" in world.memo:
        return world.memo["supply_items"]
    sim = simulate(world)
    today = day_index(world.today)
    recent = sim.created >= today - 120
    key = sim.created[recent] * 100 + sim.warehouse[recent]
    order = np.argsort(key, kind="stable")
    keys, starts = np.unique(key[order], return_index=True)
    out = []
    for k, (group, start) in enumerate(zip(keys.tolist(), starts.tolist(), strict=True)):
        stop = int(starts[k + 1]) if k + 1 < len(starts) else len(order)
        idx = np.flatnonzero(recent)[order[start:stop]]
        created, arrival = int(group // 100), int(sim.arrival[idx].max())
        left = arrival - today
        state = "COMPLETED" if left <= 0 else "ACCEPTANCE_AT_STORAGE_WAREHOUSE" if left <= 1 else \
            "IN_TRANSIT" if left <= 5 else "READY_TO_SUPPLY"
        oid = world.salt * 10**8 + 2 * 10**7 + created % 100_000 * 100 + int(group % 100)
        out.append(SupplyOrderItems(
            order_id=oid, number=f"{3000000000 + oid % 10**9}", created=world.start + dt.timedelta(
                days=created - day_index(world.start)), arrival=world.start + dt.timedelta(
                days=arrival - day_index(world.start)), state=state, warehouse=int(group % 100), supply_id=oid * 10 + 1,
            items=tuple(zip(sim.sku_pos[idx].tolist(), sim.qty[idx].tolist(), strict=True))))
    world.memo["supply_items"] = out
    return out
