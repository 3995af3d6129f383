"""In-memory stock history readers for FakeReportData (the same answers as adapters/db/reports/stock.py)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

import numpy as np

from stpulse.application.reports.stock_ports import StockRows, SupplyTransit
from stpulse.domain.kernel.moscow import moscow_today
from stpulse.domain.kernel.period import day_number
from stpulse.domain.planning.supply import SupplyParams


class FakeStockQueries:
    st: Any
    t: Any

    async def latest_stock_day(self, shop_ids: Sequence[uuid.UUID], last: dt.date) -> dt.date | None:
        days = [k[1] for k in self.t.stocks if k[0] in shop_ids and k[1] <= last]
        return max(days) if days else None

    async def stock_rows(self, shop_ids: Sequence[uuid.UUID], first: dt.date, last: dt.date) -> StockRows:
        pos = {s: i for i, s in enumerate(shop_ids)}
        rows = [(pos[s], day_number(d), sku, wh, v.available, v.reserved, v.transit)
                for (s, d, sku, wh), v in self.t.stocks.items() if s in pos and first <= d <= last]
        names = {k[3]: (v.cluster_name, v.warehouse_name) for k, v in self.t.stocks.items() if k[0] in pos}
        return StockRows(values=np.array(rows, np.int64).reshape(-1, 7), names=names)

    async def units_ordered(self, shop_ids: Sequence[uuid.UUID], first: dt.date, last: dt.date,
                            by_warehouse: bool = True) -> np.ndarray:
        pos = {s: i for i, s in enumerate(shop_ids)}
        sums: dict[tuple[int, int, int, int], int] = {}
        for (s, _), p in self.t.postings.items():
            moment = p.created_at or p.in_process_at
            if s not in pos or moment is None or p.status == "cancelled":
                continue
            day = moscow_today(moment)
            if first <= day <= last:
                for item in p.products:
                    key = (pos[s], day_number(day), item.sku, (p.warehouse_id or 0) if by_warehouse else 0)
                    sums[key] = sums.get(key, 0) + item.quantity
        return np.array([(*k, v) for k, v in sorted(sums.items())], np.int64).reshape(-1, 5)

    async def supplies_in_transit(self, shop_ids: Sequence[uuid.UUID]) -> list[SupplyTransit]:
        sums: dict[tuple[uuid.UUID, int, str], list[Any]] = {}
        for s in shop_ids:
            for i in getattr(self.t, "supply_items", {}).get(s, []):
                cell = sums.setdefault((s, i.sku, i.cluster_name), [0, i.arrival_date])
                cell[0] += i.quantity
        return [SupplyTransit(shop_id=s, sku=k, cluster=c, quantity=q, arrival=a) for (s, k, c), (q, a) in sums.items()]

    async def supply_params(self, account_id: uuid.UUID) -> dict[str, SupplyParams]:
        rows = self.st.__dict__.get("supply_params", {})
        return {p.offer_id: p.params for (a, _), p in rows.items() if a == account_id}

    async def stock_stamp(self, account_id: uuid.UUID, shop_ids: Sequence[uuid.UUID]) -> str:
        stocks = sorted((k, v.available) for k, v in self.t.stocks.items() if k[0] in shop_ids)
        return f"stock:{hash(str(stocks))}:{hash(str(sorted(map(str, (await self.supply_params(account_id)).items()))))}"
