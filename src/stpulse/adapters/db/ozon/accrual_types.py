"""Ozon's accrual type names (one table for every shop: Ozon names a type the same for all sellers), and the
accrual types of the records the admin's «аномалии» list shows."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import cast

import msgspec
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from stpulse.adapters.db import bulk
from stpulse.adapters.db.ledger import models as f
from stpulse.application.ozon.records import AccrualType
from stpulse.application.ozon.sync_ports import Anomaly

TYPES = cast(sa.Table, f.AccrualTypeNameRow.__table__)
LINES = cast(sa.Table, f.AccrualLineRow.__table__)


class AccrualTypesStore:
    s: AsyncSession

    async def save_accrual_types(self, types: Sequence[AccrualType], day: dt.date) -> None:
        # in key order: syncs of other shops write the same rows at once (no deadlock, see bench/scale.py)
        rows = sorted((t.id, t.name[:200], t.description[:500], day) for t in {t.id: t for t in types}.values())
        await bulk.upsert(self.s, TYPES, ("type_id", "name", "description", "fetched_on"), rows, ("type_id",))

    async def accrual_types_fetched_on(self) -> dt.date | None:
        day: dt.date | None = (await self.s.execute(sa.select(sa.func.max(TYPES.c.fetched_on)))).scalar()
        return day

    async def accrual_types(self) -> dict[int, AccrualType]:
        rows = (await self.s.execute(sa.select(TYPES.c.type_id, TYPES.c.name, TYPES.c.description))).all()
        return {t: AccrualType(id=t, name=n, description=d) for t, n, d in rows}

    async def _with_types(self, anomalies: list[Anomaly]) -> list[Anomaly]:
        """Each record's accrual types, from its stored service lines."""
        if not anomalies:
            return anomalies
        query = sa.select(LINES.c.shop_id, LINES.c.accrual_id, LINES.c.type_id).distinct().where(
            LINES.c.accrual_id.in_({a.record_id for a in anomalies}), LINES.c.type_id.is_not(None),
            LINES.c.shop_id.in_({a.shop_id for a in anomalies}))
        found: dict[tuple[uuid.UUID, int], set[int]] = {}
        for shop_id, accrual_id, type_id in (await self.s.execute(query)).all():
            found.setdefault((shop_id, accrual_id), set()).add(type_id)
        return [msgspec.structs.replace(a, type_ids=tuple(sorted(found.get((a.shop_id, a.record_id), ()))))
                for a in anomalies]
