"""The ledger mapping «Ozon accrual type → P&L article» and the queue of types it does not know."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from stpulse.adapters.db import bulk
from stpulse.adapters.db.ledger import models as f
from stpulse.application.ledger.ports import UnmappedType
from stpulse.domain.ledger.articles import LedgerMapping


class _Repo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session


class LedgerRepo(_Repo):
    async def mapping(self) -> LedgerMapping:
        rows = (await self.s.execute(select(f.LedgerTypeArticleRow.type_id, f.LedgerTypeArticleRow.article))).all()
        return LedgerMapping(articles={int(t): a for t, a in rows}) if rows else LedgerMapping.default()

    async def save(self, mapping: LedgerMapping, at: dt.datetime) -> None:
        await self.s.execute(delete(f.LedgerTypeArticleRow))
        self.s.add_all([f.LedgerTypeArticleRow(type_id=t, article=a, updated_at=at)
                        for t, a in sorted(mapping.articles.items())])
        await self.s.flush()

    async def type_names(self) -> dict[int, str]:
        rows = (await self.s.execute(select(f.AccrualTypeNameRow.type_id, f.AccrualTypeNameRow.name))).all()
        return {int(t): n for t, n in rows}

    async def save_type_names(self, names: Mapping[int, str]) -> None:
        """New and renamed types upserted in key order: syncs of other shops write the same names at once."""
        stored = await self.type_names()
        rows = [(t, n[:500]) for t, n in sorted(names.items()) if stored.get(t) != n[:500]]
        await bulk.upsert(self.s, bulk.table_of(f.AccrualTypeNameRow), ("type_id", "name"), rows, ("type_id",))

    async def unmapped(self, mapping: LedgerMapping) -> list[UnmappedType]:
        """Service lines whose type has no article: the sync's queue plus what the stored lines show."""
        line = f.AccrualLineRow
        stmt = (select(line.type_id, func.count(), func.sum(line.amount)).where(line.component == "service")
                .group_by(line.type_id))
        found = {t: UnmappedType(type_id=t, lines=int(n), amount=int(s or 0))
                 for t, n, s in (await self.s.execute(stmt)).all() if t is None or t not in mapping.articles}
        queue = select(f.UnmappedTypeRow.type_id, func.sum(f.UnmappedTypeRow.lines)).group_by(
            f.UnmappedTypeRow.type_id)
        for tid, n in (await self.s.execute(queue)).all():
            key = None if tid < 0 else tid
            if key not in found and (key is None or key not in mapping.articles):
                found[key] = UnmappedType(type_id=key, lines=int(n or 0), amount=0)
        return sorted(found.values(), key=lambda u: -1 if u.type_id is None else u.type_id)
