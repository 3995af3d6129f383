"""Repositories of the money settings: ledger mapping and its queue, cost prices, own expenses, API tokens."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from stpulse.adapters.db.costs import models as mm
from stpulse.adapters.db.mapping import row_values, to_domain
from stpulse.adapters.db.reports import content_cache
from stpulse.application.costs.ports import OpexRecord
from stpulse.domain.costs.cogs import CostBook, CostPrice

_COMPONENTS = ("purchase", "delivery", "packaging", "marking")
# the stamp of an account's cost book (PostgreSQL's triggers bump it on every change of its rows: migration 0019a)
COST_VERSION = content_cache.version(content_cache.COST_BOOK, ":account")


class _Repo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session


class CostRepo(_Repo):
    async def book(self, account_id: uuid.UUID) -> CostBook:
        """The account's cost book; reports load it on every request, so it is kept per version stamp of its rows."""
        return await content_cache.cached(self.s, "cost_book", f"SELECT {COST_VERSION}", {"account": account_id},
                                          lambda: self._load_book(account_id))

    async def _load_book(self, account_id: uuid.UUID) -> CostBook:
        row = mm.CostPriceRow.__table__.c  # Core columns, no ORM rows
        stmt = select(row.offer_id, row.effective_from, row.purchase, row.delivery, row.packaging, row.marking).where(
            row.account_id == account_id)
        return CostBook(entries=tuple(CostPrice(offer_id=o, effective_from=d, purchase=p, delivery=dl, packaging=pk,
                                                marking=mk) for o, d, p, dl, pk, mk in (await self.s.execute(stmt)).all()))

    async def upsert(self, account_id: uuid.UUID, entries: Sequence[CostPrice]) -> None:
        row = mm.CostPriceRow
        await content_cache.claim(self.s, content_cache.COST_BOOK, account_id)
        existing = {(r.offer_id, r.effective_from): r for r in (await self.s.execute(
            select(row).where(row.account_id == account_id))).scalars()}
        for e in entries:
            current = existing.get((e.offer_id, e.effective_from))
            if current is None:
                self.s.add(row(account_id=account_id, **row_values(e)))
            else:
                for name in _COMPONENTS:
                    setattr(current, name, getattr(e, name))
        await self.s.flush()

    async def delete(self, account_id: uuid.UUID, offer_id: str, effective_from: dt.date) -> None:
        row = mm.CostPriceRow
        await content_cache.claim(self.s, content_cache.COST_BOOK, account_id)
        await self.s.execute(delete(row).where(row.account_id == account_id, row.offer_id == offer_id,
                                               row.effective_from == effective_from))


class OpexRepo(_Repo):
    async def get(self, account_id: uuid.UUID, entry_id: uuid.UUID) -> OpexRecord | None:
        row = mm.OpexEntryRow
        found = await self.s.scalar(select(row).where(row.id == entry_id, row.account_id == account_id))
        return None if found is None else to_domain(found, OpexRecord)

    async def add(self, record: OpexRecord) -> None:
        self.s.add(mm.OpexEntryRow(**row_values(record)))
        await self.s.flush()

    async def delete(self, account_id: uuid.UUID, entry_id: uuid.UUID) -> bool:
        row = mm.OpexEntryRow
        result = await self.s.execute(delete(row).where(row.id == entry_id, row.account_id == account_id))
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def between(self, account_id: uuid.UUID, first: dt.date, last: dt.date) -> list[OpexRecord]:
        row = mm.OpexEntryRow
        stmt = (select(row).where(row.account_id == account_id, row.month >= first, row.month <= last)
                .order_by(row.month, row.article))
        return [to_domain(r, OpexRecord) for r in (await self.s.execute(stmt)).scalars()]
