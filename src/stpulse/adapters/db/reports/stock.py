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
from stpulse.application.reports.stock_ports import StockRows, SupplyTransit
from stpulse.domain.kernel.period import EPOCH
from stpulse.domain.planning.supply import SupplyParams

_META = sa.MetaData()
SNAPSHOTS = sa.Table("ozon_stock_snapshots", _META, sa.Column("shop_id", GUID(length=16)), sa.Column("day", sa.Date),
                     sa.Column("sku", sa.BigInteger), sa.Column("warehouse_id", sa.BigInteger),
                     sa.Column("cluster_name", sa.String), sa.Column("warehouse_name", sa.String),
                     sa.Column("available", sa.BigInteger), sa.Column("transit", sa.BigInteger),
                     sa.Column("reserved", sa.BigInteger))
ITEMS = sa.Table("ozon_posting_warehouses", _META, sa.Column("shop_id", GUID(length=16)),
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


_SNAPSHOT_RECORD = np.dtype([("day", ">i4"), ("sku", ">i8"), ("wh", ">i8"), ("available", ">i4"),
                             ("reserved", ">i4"), ("transit", ">i4")])
_ITEM_RECORD = np.dtype([("day", ">i4"), ("sku", ">i8"), ("wh", ">i8"), ("units", ">i8")])


def _days(values: Sequence[dt.date]) -> np.ndarray:
    return np.fromiter(((d - EPOCH).days for d in values), np.int64, count=len(values))


class StockQueries:
    s: AsyncSession

    def _pg(self) -> bool:
        return self.s.bind is not None and self.s.bind.dialect.name == "postgresql"

    async def latest_stock_day(self, shop_ids: Sequence[uuid.UUID], last: dt.date) -> dt.date | None:
        stmt = sa.select(sa.func.max(SNAPSHOTS.c.day)).where(among(self.s, SNAPSHOTS.c.shop_id, shop_ids),
                                                             SNAPSHOTS.c.day <= last)
        return (await self.s.execute(stmt)).scalar_one_or_none()

    async def stock_rows(self, shop_ids: Sequence[uuid.UUID], first: dt.date, last: dt.date) -> StockRows:
        c = SNAPSHOTS.c
        parts = []
        for pos, shop in enumerate(shop_ids):
            if self._pg():  # one bytea of fixed-size big-endian records: no Python object per row
                blob = (await self.s.execute(sa.text(
                    "SELECT string_agg(int4send((day - DATE '1970-01-01')::int4) || int8send(sku) || "
                    "int8send(warehouse_id) || int4send(available::int4) || int4send(reserved::int4) || "
                    "int4send(transit::int4), ''::bytea) FROM ozon_stock_snapshots "
                    "WHERE shop_id = :shop AND day BETWEEN :first AND :last"),
                    {"shop": shop, "first": first, "last": last})).scalar_one()
                rec = np.frombuffer(blob or b"", dtype=_SNAPSHOT_RECORD)
                cols = [rec["day"], rec["sku"], rec["wh"], rec["available"], rec["reserved"], rec["transit"]]
            else:
                rows = (await self.s.execute(sa.select(c.day, c.sku, c.warehouse_id, c.available, c.reserved,
                                                       c.transit).where(c.shop_id == shop,
                                                                        c.day.between(first, last)))).all()
                raw = list(zip(*rows, strict=True)) or [()] * 6
                cols = [_days(raw[0]), *(np.asarray(x, np.int64) for x in raw[1:])]
            part = np.zeros((len(cols[0]), 7), np.int64)
            part[:, 0] = pos
            for j, col in enumerate(cols, start=1):
                part[:, j] = col
            parts.append(part)
        names_stmt = sa.select(c.warehouse_id, sa.func.max(c.cluster_name), sa.func.max(c.warehouse_name)).where(
            among(self.s, c.shop_id, shop_ids), c.day == last).group_by(c.warehouse_id)
        names = {int(w): (cl or "", wn or "") for w, cl, wn in (await self.s.execute(names_stmt)).all()}
        values = np.concatenate(parts) if parts else np.zeros((0, 7), np.int64)
        missing = set(np.unique(values[:, 3]).tolist()) - set(names)
        if missing:  # warehouses not in the newest snapshot: their names from any day of the window
            older = sa.select(c.warehouse_id, sa.func.max(c.cluster_name), sa.func.max(c.warehouse_name)).where(
                among(self.s, c.shop_id, shop_ids), c.day.between(first, last),
                among(self.s, c.warehouse_id, sorted(missing))).group_by(c.warehouse_id)
            names.update({int(w): (cl or "", wn or "") for w, cl, wn in (await self.s.execute(older)).all()})
        return StockRows(values=values, names=names)

    async def units_ordered(self, shop_ids: Sequence[uuid.UUID], first: dt.date, last: dt.date,
                            by_warehouse: bool = True) -> np.ndarray:
        """int64 [n, 5]: (shop position, day number, sku, warehouse id or 0, units) of postings not cancelled."""
        c = ITEMS.c
        parts = []
        for pos, shop in enumerate(shop_ids):
            wh = "warehouse_id" if by_warehouse else "0::int8"
            if self._pg():
                blob = (await self.s.execute(sa.text(
                    "SELECT string_agg(int4send(d) || int8send(sku) || int8send(wh) || int8send(units), ''::bytea) "
                    f"FROM (SELECT (day - DATE '1970-01-01')::int4 AS d, sku, {wh} AS wh, sum(quantity)::int8 AS units "
                    "FROM ozon_posting_warehouses WHERE shop_id = :shop AND day BETWEEN :first AND :last AND NOT cancelled "
                    "GROUP BY 1, 2, 3) AS t"), {"shop": shop, "first": first, "last": last})).scalar_one()
                rec = np.frombuffer(blob or b"", dtype=_ITEM_RECORD)
                cols = [rec["day"], rec["sku"], rec["wh"], rec["units"]]
            else:
                keys = [c.day, c.sku] + ([c.warehouse_id] if by_warehouse else [])
                rows = (await self.s.execute(sa.select(*keys, sa.func.sum(c.quantity)).where(
                    c.shop_id == shop, c.day.between(first, last), c.cancelled.is_(False)).group_by(*keys))).all()
                raw = list(zip(*rows, strict=True)) or [()] * len(keys) + [()]
                cols = [_days(raw[0]), np.asarray(raw[1], np.int64),
                        np.asarray(raw[2], np.int64) if by_warehouse else np.zeros(len(rows), np.int64),
                        np.asarray(raw[-1], np.int64)]
            part = np.zeros((len(cols[0]), 5), np.int64)
            part[:, 0] = pos
            for j, col in enumerate(cols, start=1):
                part[:, j] = col
            parts.append(part)
        return np.concatenate(parts) if parts else np.zeros((0, 5), np.int64)

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
        """Changes when the shops' stock snapshots, supplies in transit or the account's supply parameters change
        (their `content_versions` stamps, bumped by PostgreSQL's triggers on every write: migration 0019b) and when a
        sync of the shops runs (its run's time). Index probes only, one statement for any number of shops."""
        if self.s.get_bind().dialect.name != "postgresql":
            return ""  # nothing is cached elsewhere (no fingerprint)
        row = (await self.s.execute(_STOCK_STAMP, {"shops": sorted(shop_ids), "account": account_id})).one()
        return f"stock:{row[0]}/{row[1]}"


_SHOPS = "CAST(:shops AS uuid[])"
_STOCK_STAMP = sa.text(
    "SELECT (SELECT string_agg(scope || ':' || key::text || '=' || stamp, ',' ORDER BY scope, key) FROM content_versions "
    f"WHERE (scope IN ('stock', 'supplies') AND key = ANY({_SHOPS})) OR (scope = 'supply_params' AND key = :account)), "
    f"(SELECT max(updated_at) FROM sync_runs WHERE shop_id = ANY({_SHOPS}))")
