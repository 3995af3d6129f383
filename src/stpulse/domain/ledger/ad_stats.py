"""Advertising statistics as the ads sync writes them and the reports read them (the ledger is their contract).

One row per (shop, campaign, SKU, day): what the Performance API reports — spend, views, clicks, orders and revenue
attributed to the ads — plus `cabinet`, the part of the spend Ozon did not also charge through the accruals
(`domain/ads/charges.py`), which the P&L shows as «Реклама из рекламного кабинета». SKU 0: spend on no SKU (banners).
"""

from __future__ import annotations

import datetime as dt

import msgspec
import numpy as np


class AdStat(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    date: dt.date
    campaign_id: int
    sku: int  # 0: the campaign's spend on no SKU
    spend: int  # kopecks, ≥ 0
    views: int = 0
    clicks: int = 0
    orders: int = 0
    revenue: int = 0  # kopecks of the orders the ads brought
    cabinet: int = 0  # kopecks of `spend` not charged through accruals (counted once, as «из рекламного кабинета»)


class AdCampaignInfo(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    campaign_id: int
    title: str
    adv_type: str  # SKU | SEARCH_PROMO | BANNER | …
    payment: str = ""  # CPC | CPO | CPM


class AdStatsTable(msgspec.Struct, frozen=True, kw_only=True):
    """The statistics of a period as the reports read them: int64 columns, one row per (shop, campaign, SKU, day).

    `shop` holds the report's shop keys (small integers), `day` day numbers since 1970-01-01; money in kopecks."""

    shop: np.ndarray
    day: np.ndarray
    campaign: np.ndarray
    sku: np.ndarray
    spend: np.ndarray
    views: np.ndarray
    clicks: np.ndarray
    orders: np.ndarray
    revenue: np.ndarray
    titles: dict[int, str] = msgspec.field(default_factory=dict)  # campaign id → title

    @classmethod
    def empty(cls) -> AdStatsTable:
        zero = np.zeros(0, dtype=np.int64)
        return cls(shop=zero, day=zero, campaign=zero, sku=zero, spend=zero, views=zero, clicks=zero, orders=zero,
                   revenue=zero)
