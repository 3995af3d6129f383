"""The daily stock history the sync keeps: a snapshot per day per SKU and location, with the units sold there."""

from __future__ import annotations

import msgspec
import numpy as np

from stpulse.domain.planning.velocity import in_stock_days

FBS = "FBS"  # the cluster of the seller's own warehouse rows


class StockHistory(msgspec.Struct, frozen=True, kw_only=True):
    """Rows are (shop, SKU, location); columns are days, the newest (`last_day`, a day number) last.

    `available` is the end-of-day stock (0 on a day without a snapshot row), `sold` the units ordered there that
    day; `reserved` / `transit` are the newest snapshot's. `daily_sku` holds a longer history of units sold per
    SKU over every location (for the seasonal factor), `history_days` how many of its days were synced."""

    last_day: int
    shop: np.ndarray  # int64 shop key per row
    sku: np.ndarray  # int64 Ozon SKU per row
    cluster: tuple[str, ...]  # FBO cluster per row (FBS for the seller's own warehouse)
    warehouse: tuple[str, ...]
    available: np.ndarray  # int64 [rows, days]
    sold: np.ndarray  # int64 [rows, days]
    reserved: np.ndarray  # int64 [rows]
    transit: np.ndarray  # int64 [rows]
    snapshot_days: int = 0  # days of the window that have any snapshot
    daily_sku: np.ndarray = msgspec.field(default_factory=lambda: np.zeros((0, 0), np.int64))  # [skus, D]
    daily_skus: np.ndarray = msgspec.field(default_factory=lambda: np.zeros(0, np.int64))  # SKU per daily_sku row
    history_days: int = 0

    @property
    def rows(self) -> int:
        return int(self.sku.size)

    def in_stock(self) -> np.ndarray:
        return in_stock_days(self.available, self.sold)


def empty_history(last_day: int, days: int = 30) -> StockHistory:
    z = np.zeros(0, np.int64)
    return StockHistory(last_day=last_day, shop=z, sku=z, cluster=(), warehouse=(), available=np.zeros((0, days), np.int64),
                        sold=np.zeros((0, days), np.int64), reserved=z, transit=z)
