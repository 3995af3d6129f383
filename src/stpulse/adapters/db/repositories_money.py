"""Repositories of the money settings: ledger mapping and its queue, cost prices, own expenses, API tokens."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from sqlalchemy import and_, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from stpulse.adapters.db import content_cache
from stpulse.adapters.db import models as m
from stpulse.adapters.db import models_facts as f
from stpulse.adapters.db import models_money as mm
from stpulse.adapters.db import models_ozon as mo
from stpulse.adapters.db.mapping import row_values, to_domain
from stpulse.adapters.db.repositories import _membership
from stpulse.application.money_ports import ApiToken, OpexRecord, TokenOwner, UnmappedType
from stpulse.domain.accounts import Account, User
from stpulse.domain.cogs import CostBook, CostPrice
from stpulse.domain.ledger import LedgerMapping

_COMPONENTS = ("purchase", "delivery", "packaging", "marking")
# the rows a cost book is made of (a `content_cache.expression` with the account as :{p})
COST_ROWS = ("cost_prices", "offer_id, effective_from, purchase, delivery, packaging, marking", "account_id = :{p}")
COST_DIGEST = content_cache.digest(COST_ROWS[0], COST_ROWS[1], COST_ROWS[2].format(p="account"))


class _Repo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session


class LedgerRepo(_Repo):
    async def mapping(self) -> LedgerMapping:
        rows = (await self.s.execute(select(mm.LedgerTypeArticleRow.type_id, mm.LedgerTypeArticleRow.article))).all()
        return LedgerMapping(articles={int(t): a for t, a in rows}) if rows else LedgerMapping.default()

    async def save(self, mapping: LedgerMapping, at: dt.datetime) -> None:
        await self.s.execute(delete(mm.LedgerTypeArticleRow))
        self.s.add_all([mm.LedgerTypeArticleRow(type_id=t, article=a, updated_at=at)
                        for t, a in sorted(mapping.articles.items())])
        await self.s.flush()

    async def unmapped(self, mapping: LedgerMapping) -> list[UnmappedType]:
        """Service lines whose type has no article: the sync's queue plus what the stored lines show."""
        line = f.AccrualLineRow
        stmt = (select(line.type_id, func.count(), func.sum(line.amount)).where(line.component == "service")
                .group_by(line.type_id))
        found = {t: UnmappedType(type_id=t, lines=int(n), amount=int(s or 0))
                 for t, n, s in (await self.s.execute(stmt)).all() if t is None or t not in mapping.articles}
        queue = select(mo.UnmappedTypeRow.type_id, func.sum(mo.UnmappedTypeRow.lines)).group_by(
            mo.UnmappedTypeRow.type_id)
        for tid, n in (await self.s.execute(queue)).all():
            key = None if tid < 0 else tid
            if key not in found and (key is None or key not in mapping.articles):
                found[key] = UnmappedType(type_id=key, lines=int(n or 0), amount=0)
        return sorted(found.values(), key=lambda u: -1 if u.type_id is None else u.type_id)


class CostRepo(_Repo):
    async def book(self, account_id: uuid.UUID) -> CostBook:
        """The account's cost book; reports load it on every request, so it is kept per fingerprint of its rows."""
        return await content_cache.cached(self.s, "cost_book", COST_DIGEST, {"account": account_id},
                                          lambda: self._load_book(account_id))

    async def _load_book(self, account_id: uuid.UUID) -> CostBook:
        row = mm.CostPriceRow.__table__.c  # Core columns, no ORM rows
        stmt = select(row.offer_id, row.effective_from, row.purchase, row.delivery, row.packaging, row.marking).where(
            row.account_id == account_id)
        return CostBook(entries=tuple(CostPrice(offer_id=o, effective_from=d, purchase=p, delivery=dl, packaging=pk,
                                                marking=mk) for o, d, p, dl, pk, mk in (await self.s.execute(stmt)).all()))

    async def upsert(self, account_id: uuid.UUID, entries: Sequence[CostPrice]) -> None:
        row = mm.CostPriceRow
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
        await self.s.execute(delete(row).where(row.account_id == account_id, row.offer_id == offer_id,
                                               row.effective_from == effective_from))


class OpexRepo(_Repo):
    async def add(self, record: OpexRecord) -> None:
        self.s.add(mm.OpexEntryRow(**row_values(record)))
        await self.s.flush()

    async def get(self, account_id: uuid.UUID, entry_id: uuid.UUID) -> OpexRecord | None:
        row = mm.OpexEntryRow
        found = await self.s.scalar(select(row).where(row.id == entry_id, row.account_id == account_id))
        return None if found is None else to_domain(found, OpexRecord)

    async def delete(self, account_id: uuid.UUID, entry_id: uuid.UUID) -> bool:
        row = mm.OpexEntryRow
        result = await self.s.execute(delete(row).where(row.id == entry_id, row.account_id == account_id))
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def between(self, account_id: uuid.UUID, first: dt.date, last: dt.date) -> list[OpexRecord]:
        row = mm.OpexEntryRow
        stmt = (select(row).where(row.account_id == account_id, row.month >= first, row.month <= last)
                .order_by(row.month, row.article))
        return [to_domain(r, OpexRecord) for r in (await self.s.execute(stmt)).scalars()]


class ApiTokenRepo(_Repo):
    async def add(self, token: ApiToken) -> None:
        values = {k: v for k, v in row_values(token).items() if k not in ("created_at", "last_used_at")}
        self.s.add(mm.ApiTokenRow(**values))
        await self.s.flush()

    async def with_owner(self, token_hash: str) -> TokenOwner | None:
        """The token with its user, its account and the user's membership there, in one round trip (every API call
        starts with it)."""
        t = mm.ApiTokenRow
        stmt = (select(t, m.UserRow, m.AccountRow, m.MembershipRow)
                .outerjoin(m.UserRow, m.UserRow.id == t.user_id)
                .outerjoin(m.AccountRow, m.AccountRow.id == t.account_id)
                .outerjoin(m.MembershipRow, and_(m.MembershipRow.user_id == t.user_id,
                                                 m.MembershipRow.account_id == t.account_id))
                .where(t.token_hash == token_hash))
        found = (await self.s.execute(stmt)).first()
        if found is None:
            return None
        token, user, account, membership = found
        return TokenOwner(token=to_domain(token, ApiToken), user=to_domain(user, User) if user else None,
                          account=to_domain(account, Account) if account else None,
                          membership=_membership(membership) if membership else None)

    async def by_hash(self, token_hash: str) -> ApiToken | None:
        stmt = select(mm.ApiTokenRow).where(mm.ApiTokenRow.token_hash == token_hash)
        row = (await self.s.execute(stmt)).scalar_one_or_none()
        return to_domain(row, ApiToken) if row else None

    async def for_user(self, account_id: uuid.UUID, user_id: uuid.UUID) -> list[ApiToken]:
        row = mm.ApiTokenRow
        stmt = select(row).where(row.account_id == account_id, row.user_id == user_id).order_by(row.created_at.desc())
        return [to_domain(r, ApiToken) for r in (await self.s.execute(stmt)).scalars()]

    async def revoke(self, account_id: uuid.UUID, user_id: uuid.UUID, token_id: uuid.UUID, at: dt.datetime) -> bool:
        row = mm.ApiTokenRow
        result = await self.s.execute(update(row).where(
            row.id == token_id, row.account_id == account_id, row.user_id == user_id, row.revoked_at.is_(None),
        ).values(revoked_at=at))
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def touch(self, token_id: uuid.UUID, at: dt.datetime) -> None:
        await self.s.execute(update(mm.ApiTokenRow).where(mm.ApiTokenRow.id == token_id).values(last_used_at=at))
