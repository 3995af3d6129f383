"""The cost a return gives back: the cost of the sale it reverses, not the cost in force on the return date.

The reader finds, by posting number, the sale each return reverses (`ReturnOrigin`). A return row of the rollup
(a day, or a whole month) takes the cost of its matched units on their sale days and, for the rest, the cost on
its own date — those units are counted so the report can flag them.
"""

from __future__ import annotations

from collections.abc import Sequence

import msgspec
import numpy as np

from stpulse.domain.costs.cogs import CostTable
from stpulse.domain.kernel.grouping import find_keys

_SPAN = 1 << 21  # composite (sku index, day) keys: days since 1970 stay far below this


class ReturnOrigin(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """Units of a return whose sale was found (same posting, same SKU, on or before the return)."""

    shop_id: int
    sku: int  # Ozon SKU
    day: int  # the return's day number
    quantity: int
    sale_day: int  # the day number of the sale it reverses


class ReturnCosts(msgspec.Struct, frozen=True, kw_only=True):
    matched: np.ndarray  # int64 units per return row costed at their sale's date
    cost: np.ndarray  # int64 cost of those units (positive)
    at_return_date: int  # units costed on the return date although posting data was there (flagged)


def match_returns(origins: Sequence[ReturnOrigin], sku_keys: np.ndarray, offer_idx: np.ndarray,
                  costs: CostTable | None, rows: tuple[np.ndarray, np.ndarray, np.ndarray]) -> ReturnCosts:
    """`rows` = (sku index, day, quantity) of the period's return rows; each origin goes to the row of its SKU
    with the latest day on or before the return (a daily row, or the month's row placed on its first day).
    `sku_keys`: (shop << 40) | SKU per sku index (`cube.sku_keys`)."""
    sku, day, qty = rows
    matched, cost = np.zeros(len(sku), np.int64), np.zeros(len(sku), np.int64)
    if not origins or not len(sku) or costs is None:
        return ReturnCosts(matched=matched, cost=cost, at_return_date=int(qty.sum()))
    o_key = np.fromiter(((o.shop_id << 40) | o.sku for o in origins), np.int64, len(origins))
    o_sku = find_keys(sku_keys, o_key)
    o_day = np.fromiter((o.day for o in origins), np.int64, len(origins))
    o_sale = np.fromiter((o.sale_day for o in origins), np.int64, len(origins))
    o_qty = np.fromiter((o.quantity for o in origins), np.int64, len(origins))
    keys = sku.astype(np.int64) * _SPAN + day
    order = np.argsort(keys, kind="stable")
    pos = np.searchsorted(keys[order], o_sku * _SPAN + o_day, side="right") - 1
    row = order[np.maximum(pos, 0)]
    unit_cost, known = costs.lookup(offer_idx[np.maximum(o_sku, 0)], o_sale)
    ok = (o_sku >= 0) & (pos >= 0) & (sku[row] == o_sku) & known
    np.add.at(matched, row[ok], o_qty[ok])
    np.add.at(cost, row[ok], unit_cost[ok] * o_qty[ok])
    over = matched > qty  # more matched than came back: the data disagree, cost the row on its date
    matched[over], cost[over] = 0, 0
    return ReturnCosts(matched=matched, cost=cost, at_return_date=int((qty - matched).sum()))
