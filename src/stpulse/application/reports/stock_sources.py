"""The stock history reader of a report: snapshots and units ordered become the domain's StockHistory arrays."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import msgspec
import numpy as np

from stpulse.domain.kernel.period import day_number
from stpulse.domain.planning.history import StockHistory, empty_history
from stpulse.domain.planning.supply import SupplyParams
from stpulse.domain.planning.velocity import SEASON_HORIZON_MAX, YEAR_DAYS


class StockSources:
    """Mixed into application.reports.sources.UowReportSources (uses its `uow`, `k`, `account_id`, `catalog`)."""

    uow: Any
    k: Any
    account_id: Any
    catalog: list[Any]

    async def stock_history(self, shop_ids: Sequence[int], last_day: dt.date, days: int,
                            season_days: int = 0) -> StockHistory:
        """`days` of history ending on the newest snapshot on or before `last_day`; with `season_days` (the
        longest velocity window), also each SKU's units ordered over the same weeks last year."""
        data = self.uow.report_data
        uuids = [self.k.shop(key).id for key in shop_ids]
        asof = await data.latest_stock_day(uuids, last_day) or last_day
        first = asof - dt.timedelta(days=days - 1)
        snap = await data.stock_rows(uuids, first, asof)
        v = snap.values
        last = day_number(asof)
        if not len(v):
            return empty_history(last, days)
        keys, inverse = _unique_rows(v[:, 0], v[:, 2], v[:, 3])
        col = v[:, 1] - day_number(first)
        available = np.zeros((len(keys), days), np.int64)
        available[inverse, col] = v[:, 4]
        today = v[:, 1] == last
        reserved = np.zeros(len(keys), np.int64)
        transit = np.zeros(len(keys), np.int64)
        reserved[inverse[today]] = v[today, 5]
        transit[inverse[today]] = v[today, 6]
        sold = np.zeros((len(keys), days), np.int64)
        ordered = await data.units_ordered(uuids, first, asof)
        if len(ordered):
            found = _find_rows(keys, ordered[:, 0], ordered[:, 2], ordered[:, 3])
            ok = found >= 0
            np.add.at(sold, (found[ok], ordered[ok, 1] - day_number(first)), ordered[ok, 4])
        names = [snap.names.get(int(wh), ("", "")) for wh in keys[:, 2].tolist()]
        history = StockHistory(
            last_day=last, shop=np.asarray([shop_ids[s] for s in keys[:, 0].tolist()], np.int64), sku=keys[:, 1].copy(),
            cluster=tuple(n[0] for n in names), warehouse=tuple(n[1] for n in names), available=available, sold=sold,
            reserved=reserved, transit=transit, snapshot_days=int(np.unique(v[:, 1]).size))
        if season_days:
            history = await self._with_last_year(history, uuids, asof, season_days)
        return history

    async def _with_last_year(self, history: StockHistory, uuids: list[Any], asof: dt.date,
                              window: int) -> StockHistory:
        span = YEAR_DAYS + window
        start = asof - dt.timedelta(days=span - 1)
        until = asof - dt.timedelta(days=YEAR_DAYS - SEASON_HORIZON_MAX)
        rows = await self.uow.report_data.units_ordered(uuids, start, until, by_warehouse=False)
        skus = np.unique(history.sku)
        daily = np.zeros((len(skus), span), np.int64)
        if len(rows):
            pos = np.searchsorted(skus, rows[:, 2])
            ok = (pos < len(skus)) & (skus[np.minimum(pos, len(skus) - 1)] == rows[:, 2])
            np.add.at(daily, (pos[ok], rows[ok, 1] - day_number(start)), rows[ok, 4])
        earliest = int(rows[:, 1].min()) if len(rows) else day_number(asof)
        return msgspec.structs.replace(history, daily_sku=daily, daily_skus=skus,
                                       history_days=day_number(asof) - earliest + 1)

    async def supply_params(self) -> Mapping[tuple[int, int], SupplyParams]:
        """(shop key, SKU) → the parameters imported for its offer_id."""
        own = await self.uow.report_data.supply_params(self.account_id)
        key = {s.id: i for i, s in enumerate(self.k.shops, start=1)}
        return {(key[c.shop_id], c.sku): own[c.offer_id] for c in self.catalog if c.offer_id in own}

    async def supply_transit(self, shop_ids: Sequence[int]) -> Mapping[tuple[int, int, str], int]:
        """(shop key, SKU, cluster) → units in supplies not yet completed."""
        found = await self.uow.report_data.supplies_in_transit([self.k.shop(key).id for key in shop_ids])
        return {(self.k.key(t.shop_id), t.sku, t.cluster): t.quantity for t in found}


def _unique_rows(shop: np.ndarray, sku: np.ndarray, wh: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct (shop, sku, warehouse) rows sorted, and each input row's index among them (one 1-D sort)."""
    _, wh_idx = np.unique(wh, return_inverse=True)
    skus, sku_idx = np.unique(sku, return_inverse=True)
    n_wh, n_sku = int(wh_idx.max()) + 1, len(skus)
    key = (shop * n_sku + sku_idx.reshape(-1)) * n_wh + wh_idx.reshape(-1)
    uniq, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    return np.column_stack([shop[first], sku[first], wh[first]]), inverse.reshape(-1)


def _find_rows(keys: np.ndarray, shop: np.ndarray, sku: np.ndarray, wh: np.ndarray) -> np.ndarray:
    """Index of each (shop, sku, warehouse) among the sorted `keys`, −1 when absent."""
    if not len(keys):
        return np.full(len(shop), -1, np.int64)
    order = np.lexsort((keys[:, 2], keys[:, 1], keys[:, 0]))
    k = keys[order]
    rec = np.rec.fromarrays([k[:, 0], k[:, 1], k[:, 2]])
    probe = np.rec.fromarrays([shop, sku, wh])
    pos = np.clip(np.searchsorted(rec, probe), 0, len(k) - 1)
    hit = (k[pos, 0] == shop) & (k[pos, 1] == sku) & (k[pos, 2] == wh)
    return np.where(hit, order[pos], -1)
