"""The sandbox's stock history: it moves with sales and supplies, has out-of-stock spells and supply orders whose
items arrive and raise the warehouse's stock."""

from __future__ import annotations

import datetime as dt

import numpy as np

from stpulse.adapters.sandbox.ozon.origin import day_index
from stpulse.adapters.sandbox.ozon.stock_history import (
    fbo_demand,
    simulate,
    stock_on,
    supply_orders_with_items,
)
from stpulse.adapters.sandbox.ozon.world import SellerWorld
from tests.unit.sandbox.conftest import SHOP_A, make_config


def world() -> SellerWorld:
    return SellerWorld(11, "small", make_config().today)


def test_stock_moves_with_sales_and_arrivals() -> None:
    w = world()
    sim = simulate(w)
    for k in range(1, sim.available.shape[0]):
        x = day_index(sim.first_kept) + k
        arrived = np.zeros(sim.available.shape[1:], np.int64)
        due = sim.arrival == x
        np.add.at(arrived, (sim.sku_pos[due], sim.warehouse[due]), sim.qty[due])
        shelf = sim.available[k - 1].astype(np.int64) + arrived
        demand = fbo_demand(w, sim.first_kept + dt.timedelta(days=k))
        assert (sim.sold[k] == np.minimum(shelf, demand)).all()  # sales take what the shelf holds
        assert (sim.available[k] == shelf - sim.sold[k]).all()


def test_out_of_stock_spells_and_determinism() -> None:
    a, b = simulate(world()), simulate(world())
    assert (a.available == b.available).all() and (a.qty == b.qty).all()
    empty = (a.available[-365:] == 0) & (a.sold[-365:] == 0)
    stocked = a.available[-365:].sum(axis=0) > 0
    assert (empty.any(axis=0) & stocked).sum() > 0  # some stocked pairs ran out during the year


def test_supply_orders_carry_items_and_arrival_dates() -> None:
    w = world()
    orders = supply_orders_with_items(w)
    assert any(o.state != "COMPLETED" for o in orders)
    for o in orders:
        assert o.items and o.arrival > o.created
        assert (o.state == "COMPLETED") == (o.arrival <= w.today)
    cells = {(c.sku_pos, c.warehouse): c for c in stock_on(w, w.today)}
    transit: dict[tuple[int, int], int] = {}
    for o in orders:
        if o.arrival > w.today:
            for pos, qty in o.items:
                transit[(pos, o.warehouse)] = transit.get((pos, o.warehouse), 0) + qty
    assert transit and all(cells[k].transit == v for k, v in transit.items())


async def test_bundle_lists_the_items_of_a_supply(client) -> None:
    w = world()
    order = max(supply_orders_with_items(w), key=lambda o: len(o.items))
    assert len(order.items) >= 2
    got = (await client.post("/v3/supply-order/get", json={"order_ids": [order.order_id]}, headers=SHOP_A)).json()
    supply = got["orders"][0]["supplies"][0]
    assert supply["storage_warehouse"]["arrival_date"].startswith(order.arrival.isoformat())
    items, last_id = [], ""
    while True:
        page = (await client.post("/v1/supply-order/bundle", json={"bundle_ids": [supply["bundle_id"]], "limit": 2,
                                                                    "last_id": last_id}, headers=SHOP_A)).json()
        items += page["items"]
        if not page["has_next"]:
            break
        last_id = page["last_id"]
    assert sum(i["quantity"] for i in items) == sum(q for _, q in order.items)
    assert len({i["sku"] for i in items}) == len(items)
