"""A line of «Выкупы Озоном» as the report reads it (one per shop, posting and SKU)."""

from __future__ import annotations

import datetime as dt

import msgspec


class BuyoutLine(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    shop_id: int  # the report's shop key
    day: dt.date  # the day whose Ozon answer carried it
    posting_number: str
    sku: int
    offer_id: str
    name: str
    quantity: int
    buyout_price: int  # kopecks per unit, with VAT
    amount: int  # kopecks credited to the seller
