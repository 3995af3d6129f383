"""Personal API tokens: only a SHA-256 of the secret is stored; looked up with their owner in one query."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from types import SimpleNamespace
from typing import Any

from sqlalchemy import and_, bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from stpulse.adapters.db.accounts import models as m
from stpulse.adapters.db.accounts.repositories import _membership
from stpulse.adapters.db.mapping import row_values, to_domain
from stpulse.application.accounts.ports import ApiToken, TokenOwner
from stpulse.domain.accounts.users import Account, User

_PARTS = (("t_", m.ApiTokenRow), ("u_", m.UserRow), ("a_", m.AccountRow), ("m_", m.MembershipRow))


def _labelled(parts: tuple[tuple[str, Any], ...]) -> list[Any]:
    return [c.label(prefix + c.key) for prefix, model in parts for c in model.__table__.c]


def _part(found: Mapping[Any, Any], prefix: str, model: Any) -> SimpleNamespace | None:
    """One table's columns of the joined row as attributes (None: the outer join found no row)."""
    values = {c.key: found[prefix + c.key] for c in model.__table__.c}
    return None if values["id"] is None else SimpleNamespace(**values)


_T = m.ApiTokenRow
_WITH_OWNER = (select(*_labelled(_PARTS))  # built once: every API call runs it
               .outerjoin(m.UserRow, m.UserRow.id == _T.user_id)
               .outerjoin(m.AccountRow, m.AccountRow.id == _T.account_id)
               .outerjoin(m.MembershipRow, and_(m.MembershipRow.user_id == _T.user_id,
                                                m.MembershipRow.account_id == _T.account_id))
               .where(_T.token_hash == bindparam("token_hash")))


class _Repo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session


class ApiTokenRepo(_Repo):
    async def add(self, token: ApiToken) -> None:
        values = {k: v for k, v in row_values(token).items() if k not in ("created_at", "last_used_at")}
        self.s.add(m.ApiTokenRow(**values))
        await self.s.flush()

    async def with_owner(self, token_hash: str) -> TokenOwner | None:
        """The token with its user, its account and the user's membership there, in one round trip (every API call
        starts with it): plain columns, no ORM objects (a third of the call's time went to building four of them)."""
        found = (await self.s.execute(_WITH_OWNER, {"token_hash": token_hash})).mappings().first()
        if found is None:
            return None
        token, user, account, membership = (_part(found, prefix, model) for prefix, model in _PARTS)
        return TokenOwner(token=to_domain(token, ApiToken), user=to_domain(user, User) if user else None,
                          account=to_domain(account, Account) if account else None,
                          membership=_membership(membership) if membership else None)  # type: ignore[arg-type]

    async def by_hash(self, token_hash: str) -> ApiToken | None:
        stmt = select(m.ApiTokenRow).where(m.ApiTokenRow.token_hash == token_hash)
        row = (await self.s.execute(stmt)).scalar_one_or_none()
        return to_domain(row, ApiToken) if row else None

    async def for_user(self, account_id: uuid.UUID, user_id: uuid.UUID) -> list[ApiToken]:
        row = m.ApiTokenRow
        stmt = select(row).where(row.account_id == account_id, row.user_id == user_id).order_by(row.created_at.desc())
        return [to_domain(r, ApiToken) for r in (await self.s.execute(stmt)).scalars()]

    async def revoke(self, account_id: uuid.UUID, user_id: uuid.UUID, token_id: uuid.UUID, at: dt.datetime) -> bool:
        row = m.ApiTokenRow
        result = await self.s.execute(update(row).where(
            row.id == token_id, row.account_id == account_id, row.user_id == user_id, row.revoked_at.is_(None),
        ).values(revoked_at=at))
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def touch(self, token_id: uuid.UUID, at: dt.datetime) -> None:
        """«Last used»; on PostgreSQL a token another request is touching right now is left to it (SKIP LOCKED):
        a burst of requests once the minute is up would otherwise queue on the row, one commit after another."""
        row = m.ApiTokenRow
        target: Any = token_id
        if self.s.get_bind().dialect.name == "postgresql":
            target = select(row.id).where(row.id == token_id).with_for_update(skip_locked=True).scalar_subquery()
        await self.s.execute(update(row).where(row.id == target).values(last_used_at=at))

    async def revoke_for_user(self, user_id: uuid.UUID, at: dt.datetime) -> None:
        row = m.ApiTokenRow
        await self.s.execute(update(row).where(row.user_id == user_id, row.revoked_at.is_(None)).values(revoked_at=at))
