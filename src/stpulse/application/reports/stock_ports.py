"""The stock ports: snapshot rows, supplies in transit and the stock history the stock and supply reports read."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from typing import Protocol

import msgspec
import numpy as np

from stpulse.domain.planning.history import StockHistory
from stpulse.domain.planning.supply import SupplyParams


class StockRows(msgspec.Struct, frozen=True, kw_only=True):
    """Snapshot rows: int64 [n, 7] (shop position, day number, sku, warehouse id, available, reserved, transit) and
    warehouse id → (cluster, warehouse name)."""

    values: np.ndarray
    names: dict[int, tuple[str, str]]


class SupplyTransit(msgspec.Struct, frozen=True, kw_only=True):
    shop_id: uuid.UUID
    sku: int
    cluster: str
    quantity: int
    arrival: dt.date | None


class StockReader(Protocol):
    """The stock history of the chosen shops (what «Товарные остатки» and «Планирование поставок» read)."""

    async def stock_history(self, shop_ids: Sequence[int], last_day: dt.date, days: int,
                            season_days: int = 0) -> StockHistory: ...
    async def supply_params(self) -> Mapping[tuple[int, int], SupplyParams]: ...
    async def supply_transit(self, shop_ids: Sequence[int]) -> Mapping[tuple[int, int, str], int]: ...
