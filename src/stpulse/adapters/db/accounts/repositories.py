"""SQLAlchemy repositories for the foundation aggregates. Every tenant query filters by account."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from stpulse.adapters.db.accounts import models as m
from stpulse.adapters.db.mapping import apply, row_values, shop_ids_from_text, shop_ids_to_text, to_domain
from stpulse.application.accounts.ports import OneTimeToken, SessionOwner, WebSession
from stpulse.domain.accounts.users import Account, Invitation, Membership, User


def _like(query: str) -> str:
    escaped = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped.lower()}%"


class _Repo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session


class UserRepo(_Repo):
    async def add(self, user: User) -> None:
        self.s.add(m.UserRow(**row_values(user)))
        await self.s.flush()

    async def get(self, user_id: uuid.UUID) -> User | None:
        row = await self.s.get(m.UserRow, user_id)
        return to_domain(row, User) if row else None

    async def by_email(self, email: str) -> User | None:
        row = (await self.s.execute(select(m.UserRow).where(m.UserRow.email == email))).scalar_one_or_none()
        return to_domain(row, User) if row else None

    async def update(self, user: User) -> None:
        row = await self.s.get(m.UserRow, user.id)
        if row is not None:
            apply(row, row_values(user), skip=("id", "created_at"))

    async def search(self, query: str, offset: int, limit: int) -> tuple[list[User], int]:
        stmt = select(m.UserRow)
        if query:
            stmt = stmt.where(or_(func.lower(m.UserRow.email).like(_like(query), escape="\\"),
                                  func.lower(m.UserRow.full_name).like(_like(query), escape="\\")))
        total = (await self.s.execute(select(func.count()).select_from(stmt.subquery()))).scalar_one()
        rows = (await self.s.execute(stmt.order_by(m.UserRow.created_at.desc()).offset(offset).limit(limit))).scalars()
        return [to_domain(r, User) for r in rows], total


class AccountRepo(_Repo):
    async def add(self, account: Account) -> None:
        self.s.add(m.AccountRow(**row_values(account)))
        await self.s.flush()

    async def get(self, account_id: uuid.UUID) -> Account | None:
        row = await self.s.get(m.AccountRow, account_id)
        return to_domain(row, Account) if row else None


def _membership(row: m.MembershipRow) -> Membership:
    return to_domain(row, Membership, shop_ids=shop_ids_from_text(row.shop_ids))


class MembershipRepo(_Repo):
    async def add(self, membership: Membership) -> None:
        self.s.add(m.MembershipRow(**row_values(membership, shop_ids=shop_ids_to_text(membership.shop_ids))))
        await self.s.flush()

    async def update(self, membership: Membership) -> None:
        await self.s.execute(update(m.MembershipRow).where(m.MembershipRow.id == membership.id).values(
            role=membership.role.value, shop_ids=shop_ids_to_text(membership.shop_ids)))

    async def delete(self, membership_id: uuid.UUID) -> None:
        await self.s.execute(delete(m.MembershipRow).where(m.MembershipRow.id == membership_id))

    async def for_user(self, user_id: uuid.UUID) -> list[Membership]:
        stmt = select(m.MembershipRow).where(m.MembershipRow.user_id == user_id).order_by(m.MembershipRow.created_at)
        return [_membership(r) for r in (await self.s.execute(stmt)).scalars()]

    async def for_account(self, account_id: uuid.UUID) -> list[Membership]:
        stmt = select(m.MembershipRow).where(m.MembershipRow.account_id == account_id).order_by(m.MembershipRow.created_at)
        return [_membership(r) for r in (await self.s.execute(stmt)).scalars()]


def _invitation(row: m.InvitationRow) -> Invitation:
    return to_domain(row, Invitation, shop_ids=shop_ids_from_text(row.shop_ids))


class InvitationRepo(_Repo):
    async def add(self, invitation: Invitation) -> None:
        self.s.add(m.InvitationRow(**row_values(invitation, shop_ids=shop_ids_to_text(invitation.shop_ids))))
        await self.s.flush()

    async def get(self, invitation_id: uuid.UUID) -> Invitation | None:
        row = await self.s.get(m.InvitationRow, invitation_id)
        return _invitation(row) if row else None

    async def update(self, invitation: Invitation) -> None:
        await self.s.execute(update(m.InvitationRow).where(m.InvitationRow.id == invitation.id)
                             .values(accepted_at=invitation.accepted_at))

    async def pending_for_account(self, account_id: uuid.UUID) -> list[Invitation]:
        stmt = select(m.InvitationRow).where(m.InvitationRow.account_id == account_id,
                                             m.InvitationRow.accepted_at.is_(None))
        return [_invitation(r) for r in (await self.s.execute(stmt.order_by(m.InvitationRow.created_at))).scalars()]

    async def delete(self, invitation_id: uuid.UUID) -> None:
        await self.s.execute(delete(m.InvitationRow).where(m.InvitationRow.id == invitation_id))


class TokenRepo(_Repo):
    async def add(self, token: OneTimeToken) -> None:
        self.s.add(m.TokenRow(**row_values(token)))
        await self.s.flush()

    async def get(self, token_hash: str) -> OneTimeToken | None:
        row = (await self.s.execute(select(m.TokenRow).where(m.TokenRow.token_hash == token_hash))).scalar_one_or_none()
        return to_domain(row, OneTimeToken) if row else None

    async def mark_used(self, token_hash: str, at: dt.datetime) -> bool:
        """Atomic single use: only one concurrent caller sees rowcount 1."""
        result = await self.s.execute(update(m.TokenRow).where(m.TokenRow.token_hash == token_hash,
                                                               m.TokenRow.used_at.is_(None)).values(used_at=at))
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def revoke_for_user(self, user_id: uuid.UUID, purpose: str, at: dt.datetime) -> None:
        await self.s.execute(update(m.TokenRow).where(m.TokenRow.user_id == user_id, m.TokenRow.purpose == purpose,
                                                      m.TokenRow.used_at.is_(None)).values(used_at=at))


class SessionRepo(_Repo):
    async def add(self, session: WebSession) -> None:
        self.s.add(m.SessionRow(**row_values(session)))
        await self.s.flush()

    async def get(self, token_hash: str) -> WebSession | None:
        stmt = select(m.SessionRow).where(m.SessionRow.token_hash == token_hash)
        row = (await self.s.execute(stmt)).scalar_one_or_none()
        return to_domain(row, WebSession) if row else None

    async def with_owner(self, token_hash: str) -> SessionOwner | None:
        """One round trip: a row per membership of the session's user (one row with none when it has none)."""
        ms = m.MembershipRow
        stmt = (select(m.SessionRow, m.UserRow, ms, m.AccountRow)
                .join(m.UserRow, m.UserRow.id == m.SessionRow.user_id)
                .outerjoin(ms, ms.user_id == m.SessionRow.user_id)
                .outerjoin(m.AccountRow, m.AccountRow.id == ms.account_id)
                .where(m.SessionRow.token_hash == token_hash)
                .order_by(ms.created_at, ms.id))
        rows = (await self.s.execute(stmt)).all()
        if not rows:
            return None
        return SessionOwner(session=to_domain(rows[0][0], WebSession), user=to_domain(rows[0][1], User),
                            memberships=tuple((_membership(r[2]), to_domain(r[3], Account) if r[3] else None)
                                              for r in rows if r[2] is not None))

    async def delete(self, token_hash: str) -> None:
        await self.s.execute(delete(m.SessionRow).where(m.SessionRow.token_hash == token_hash))

    async def delete_for_user(self, user_id: uuid.UUID, keep: str = "") -> None:
        await self.s.execute(delete(m.SessionRow).where(m.SessionRow.user_id == user_id,
                                                        m.SessionRow.token_hash != keep))


class LoginAttemptRepo(_Repo):
    async def record_failure(self, key: str, at: dt.datetime) -> None:
        self.s.add(m.LoginFailureRow(key=key[:300], at=at))
        await self.s.flush()

    async def failures_since(self, key: str, since: dt.datetime) -> int:
        stmt = select(func.count()).where(m.LoginFailureRow.key == key[:300], m.LoginFailureRow.at >= since)
        return int((await self.s.execute(stmt)).scalar_one())

    async def clear(self, key: str) -> None:
        await self.s.execute(delete(m.LoginFailureRow).where(m.LoginFailureRow.key == key[:300]))
