"""Supply parameters: read whole per account, upserted by offer_id."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from stpulse.adapters.db import bulk
from stpulse.adapters.db.planning.supply_models import SupplyParamRow
from stpulse.domain.planning.params import SkuParams
from stpulse.domain.planning.supply import SupplyParams

PARAMS = bulk.table_of(SupplyParamRow)
_COLS = ("account_id", "offer_id", "lead_days", "cover_days", "safety_days", "box", "min_order")


class SupplyParamsRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def all(self, account_id: uuid.UUID) -> list[SkuParams]:
        rows = (await self.s.execute(sa.select(*[PARAMS.c[c] for c in _COLS[1:]]).where(
            PARAMS.c.account_id == account_id).order_by(PARAMS.c.offer_id))).all()
        return [SkuParams(offer_id=r[0], params=SupplyParams(lead_days=r[1], cover_days=r[2], safety_days=r[3],
                                                              box=r[4], min_order=r[5])) for r in rows]

    async def replace(self, account_id: uuid.UUID, params: Sequence[SkuParams]) -> None:
        rows = [(account_id, p.offer_id, p.params.lead_days, p.params.cover_days, p.params.safety_days, p.params.box,
                 p.params.min_order) for p in params]
        await bulk.upsert(self.s, PARAMS, _COLS, rows, ("account_id", "offer_id"))
