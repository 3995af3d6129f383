"""The ledger mapping «Ozon accrual type → P&L article» and the queue of types it does not know."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

import msgspec
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from stpulse.adapters.db import bulk
from stpulse.adapters.db.ledger import models as f
from stpulse.application.ledger.ports import Remap, UnmappedType
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
        """Ozon's Russian description of each type (its `name` is a Latin code), as the sync last stored them."""
        row = f.AccrualTypeNameRow
        rows = (await self.s.execute(select(row.type_id, row.name, row.description))).all()
        return {int(t): d or n for t, n, d in rows if d or n}

    async def unmapped(self, mapping: LedgerMapping,
                       shop_ids: Sequence[uuid.UUID] | None = None) -> list[UnmappedType]:
        """Service lines whose type has no article: the sync's queue plus what the stored lines show (of these
        shops only, when given)."""
        line = f.AccrualLineRow
        stmt = (select(line.type_id, func.count(), func.sum(line.amount)).where(line.component == "service")
                .group_by(line.type_id))
        if shop_ids is not None:
            stmt = stmt.where(line.shop_id.in_(list(shop_ids)))
        found = {t: UnmappedType(type_id=t, lines=int(n), amount=int(s or 0))
                 for t, n, s in (await self.s.execute(stmt)).all() if t is None or t not in mapping.articles}
        queue = select(f.UnmappedTypeRow.type_id, func.sum(f.UnmappedTypeRow.lines)).group_by(
            f.UnmappedTypeRow.type_id)
        if shop_ids is not None:
            queue = queue.where(f.UnmappedTypeRow.shop_id.in_(list(shop_ids)))
        for tid, n in (await self.s.execute(queue)).all():
            key = None if tid < 0 else tid
            if key not in found and (key is None or key not in mapping.articles):
                found[key] = UnmappedType(type_id=key, lines=int(n or 0), amount=0)
        names = {t: (n, d) for t, n, d in (await self.s.execute(select(
            f.AccrualTypeNameRow.type_id, f.AccrualTypeNameRow.name, f.AccrualTypeNameRow.description))).all()}
        return sorted((msgspec.structs.replace(u, name=names[u.type_id][0], description=names[u.type_id][1])
                       if u.type_id in names else u for u in found.values()),
                      key=lambda u: -1 if u.type_id is None else u.type_id)

    async def remaps(self) -> list[Remap]:
        row = f.LedgerRemapRow
        stmt = select(row).order_by(row.started_at.desc(), row.type_id)
        return [Remap(type_id=r.type_id, article=r.article, was_unmapped=r.was_unmapped, started_at=r.started_at,
                      months_done=r.months_done, months_total=r.months_total, finished_at=r.finished_at)
                for r in (await self.s.execute(stmt)).scalars()]

    async def save_remap(self, remap: Remap) -> None:
        columns = ("type_id", "article", "was_unmapped", "months_done", "months_total", "started_at", "finished_at")
        await bulk.upsert(self.s, f.LedgerRemapRow.__table__, columns,  # type: ignore[arg-type]
                          [tuple(getattr(remap, c) for c in columns)], ("type_id",))
