"""План's targets."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from stpulse.adapters.db.mapping import to_domain
from stpulse.adapters.db.planning import models as pm
from stpulse.adapters.db.reports import content_cache
from stpulse.application.planning.ports import PlanTargetRecord

_VALUES = ("revenue", "units", "profit", "ad_budget", "drr_bp")


class PlanTargetRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def between(self, account_id: uuid.UUID, first: dt.date, last: dt.date) -> list[PlanTargetRecord]:
        row = pm.PlanTargetRow
        stmt = (select(row).where(row.account_id == account_id, row.month >= first, row.month <= last)
                .order_by(row.month, row.shop_id, row.offer_id))
        return [to_domain(r, PlanTargetRecord) for r in (await self.s.execute(stmt)).scalars()]

    async def upsert(self, records: Sequence[PlanTargetRecord]) -> None:
        row = pm.PlanTargetRow
        for account in sorted({rec.account_id for rec in records}):  # before any row (content_cache.claim)
            await content_cache.claim(self.s, content_cache.PLAN, account)
        for rec in records:
            current = await self.s.scalar(select(row).where(row.shop_id == rec.shop_id, row.month == rec.month,
                                                            row.offer_id == rec.offer_id))
            if current is None:
                self.s.add(row(id=rec.id, account_id=rec.account_id, shop_id=rec.shop_id, month=rec.month,
                               offer_id=rec.offer_id, **{k: getattr(rec, k) for k in _VALUES}))
            else:
                for k in _VALUES:
                    setattr(current, k, getattr(rec, k))
        await self.s.flush()

    async def delete(self, account_id: uuid.UUID, target_id: uuid.UUID) -> PlanTargetRecord | None:
        row = pm.PlanTargetRow
        found = await self.s.scalar(select(row).where(row.id == target_id, row.account_id == account_id))
        if found is None:
            return None
        record = to_domain(found, PlanTargetRecord)
        await self.s.execute(delete(row).where(row.id == target_id, row.account_id == account_id))
        return record
