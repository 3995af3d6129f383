"""What «Товарные остатки» and «Планирование поставок» read: the daily stock snapshots, units ordered per day and
warehouse (posting items), supplies in transit and the supply parameters.

The sync's tables are declared here as Core tables of their own (the reports never import the sync's adapters;
they meet through the tables, as with the rollups)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

import numpy as np
import sqlalchemy as sa
from advanced_alchemy.types import GUID
from sqlalchemy.ext.asyncio import AsyncSession

from stpulse.adapters.db.arrays import among
from stpulse.application.reports.ports import StockRows, SupplyTransit
from stpulse.domain.kernel.period import EPOCH
from stpulse.domain.planning.supply import SupplyParams

_META = sa.MetaData()
SNAPSHOTS = sa.Table("ozon_stock_snapshots", _META, sa.Column("shop_id", GUID(length=16)), sa.Column("day", sa.Date),
                     sa.Column("sku", sa.BigInteger), sa.Column("warehouse_id", sa.BigInteger),
                     sa.Column("cluster_name", sa.String), sa.Column("warehouse_name", sa.String),
                     sa.Column("available", sa.BigInteger), sa.Column("transit", sa.BigInteger),
                     sa.Column("reserved", sa.BigInteger))
ITEMS = sa.Table("ozon_posting_items", _META, sa.Column("shop_id", GUID(length=16)),
                 sa.Column("posting_number", sa.String), sa.Column("sku", sa.BigInteger), sa.Column("day", sa.Date),
                 sa.Column("warehouse_id", sa.BigInteger), sa.Column("quantity", sa.Integer),
                 sa.Column("cancelled", sa.Boolean))
SUPPLIES = sa.Table("ozon_supply_items", _META, sa.Column("shop_id", GUID(length=16)),
                    sa.Column("supply_id", sa.BigInteger), sa.Column("sku", sa.BigInteger),
                    sa.Column("state", sa.String), sa.Column("cluster_name", sa.String),
                    sa.Column("warehouse_name", sa.String), sa.Column("arrival_date", sa.Date),
                    sa.Column("quantity", sa.Integer))
PARAMS = sa.Table("supply_params", _META, sa.Column("account_id", GUID(length=16)), sa.Column("offer_id", sa.String),
                  sa.Column("lead_days", sa.Integer), sa.Column("cover_days", sa.Integer),
                  sa.Column("safety_days", sa.Integer), sa.Column("box", sa.Integer), sa.Column("min_order", sa.Integer))
RUNS = sa.Table("sync_runs", _META, sa.Column("shop_id", GUID(length=16)), sa.Column("updated_at", sa.DateTime))


def _days(values: Sequence[dt.date]) -> np.ndarray:
    return np.fromiter(((d - EPOCH).days for d in values), np.int64, count=len(values))


class StockQueries:
    s: AsyncSession

    async def latest_stock_day(self, shop_ids: Sequence[uuid.UUID], last: dt.date) -> dt.date | None:
        stmt = sa.select(sa.func.max(SNAPSHOTS.c.day)).where(among(self.s, SNAPSHOTS.c.shop_id, shop_ids),
                                                             SNAPSHOTS.c.day <= last)
        return (await self.s.execute(stmt)).scalar_one_or_none()

    async def stock_rows(self, shop_ids: Sequence[uuid.UUID], first: dt.date, last: dt.date) -> StockRows:
        c = SNAPSHOTS.c
        stmt = sa.select(c.shop_id, c.day, c.sku, c.warehouse_id, c.available, c.reserved, c.transit).where(
            among(self.s, c.shop_id, shop_ids), c.day.between(first, last))
        rows = (await self.s.execute(stmt)).all()
        names_stmt = sa.select(c.warehouse_id, sa.func.max(c.cluster_name), sa.func.max(c.warehouse_name)).where(
            among(self.s, c.shop_id, shop_ids), c.day.between(first, last)).group_by(c.warehouse_id)
        names = {int(w): (cl or "", wn or "") for w, cl, wn in (await self.s.execute(names_stmt)).all()}
        shop_pos = {s: i for i, s in enumerate(shop_ids)}
        n = len(rows)
        values = np.zeros((n, 7), np.int64)
        if n:
            cols = list(zip(*rows, strict=True))
            values[:, 0] = [shop_pos[s] for s in cols[0]]
            values[:, 1] = _days(cols[1])
            for j in range(2, 7):
                values[:, j] = np.asarray(cols[j], dtype=np.int64)
        return StockRows(values=values, names=names)

    async def units_ordered(self, shop_ids: Sequence[uuid.UUID], first: dt.date, last: dt.date,
                            by_warehouse: bool = True) -> np.ndarray:
        """int64 [n, 5]: (shop position, day number, sku, warehouse id or 0, units) of postings not cancelled."""
        c = ITEMS.c
        keys = [c.shop_id, c.day, c.sku] + ([c.warehouse_id] if by_warehouse else [])
        stmt = sa.select(*keys, sa.func.sum(c.quantity)).where(
            among(self.s, c.shop_id, shop_ids), c.day.between(first, last), c.cancelled.is_(False)).group_by(*keys)
        rows = (await self.s.execute(stmt)).all()
        shop_pos = {s: i for i, s in enumerate(shop_ids)}
        out = np.zeros((len(rows), 5), np.int64)
        if rows:
            cols = list(zip(*rows, strict=True))
            out[:, 0] = [shop_pos[s] for s in cols[0]]
            out[:, 1] = _days(cols[1])
            out[:, 2] = np.asarray(cols[2], dtype=np.int64)
            out[:, 3] = np.asarray(cols[3], dtype=np.int64) if by_warehouse else 0
            out[:, 4] = np.asarray(cols[-1], dtype=np.int64)
        return out

    async def supplies_in_transit(self, shop_ids: Sequence[uuid.UUID]) -> list[SupplyTransit]:
        c = SUPPLIES.c
        stmt = sa.select(c.shop_id, c.sku, c.cluster_name, sa.func.sum(c.quantity), sa.func.min(c.arrival_date)).where(
            among(self.s, c.shop_id, shop_ids)).group_by(c.shop_id, c.sku, c.cluster_name)
        return [SupplyTransit(shop_id=s, sku=int(k), cluster=cl or "", quantity=int(q or 0), arrival=a)
                for s, k, cl, q, a in (await self.s.execute(stmt)).all()]

    async def supply_params(self, account_id: uuid.UUID) -> dict[str, SupplyParams]:
        c = PARAMS.c
        stmt = sa.select(c.offer_id, c.lead_days, c.cover_days, c.safety_days, c.box, c.min_order).where(
            c.account_id == account_id)
        return {o: SupplyParams(lead_days=a, cover_days=b, safety_days=d, box=e, min_order=f)
                for o, a, b, d, e, f in (await self.s.execute(stmt)).all()}

    async def stock_stamp(self, account_id: uuid.UUID, shop_ids: Sequence[uuid.UUID]) -> str:
        """Changes when a sync writes (its run's time), when stock rows are written another way (their newest
        day and count) and when the supply parameters change."""
        snap = sa.select(sa.func.max(SNAPSHOTS.c.day), sa.func.count()).where(
            among(self.s, SNAPSHOTS.c.shop_id, shop_ids)).subquery()
        runs = sa.select(sa.func.max(RUNS.c.updated_at)).where(among(self.s, RUNS.c.shop_id, shop_ids)).scalar_subquery()
        items = sa.select(sa.func.count(), sa.func.sum(SUPPLIES.c.quantity)).where(
            among(self.s, SUPPLIES.c.shop_id, shop_ids)).subquery()
        params = sa.select(sa.func.count(), sa.func.sum(PARAMS.c.lead_days * 7 + PARAMS.c.cover_days * 11
                                                        + PARAMS.c.safety_days * 13 + PARAMS.c.box * 17
                                                        + PARAMS.c.min_order * 19)).where(
            PARAMS.c.account_id == account_id).subquery()
        row = (await self.s.execute(sa.select(snap, runs, items, params))).one()
        return "stock:" + "/".join(str(v) for v in row)
