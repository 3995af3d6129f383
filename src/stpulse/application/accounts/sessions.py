"""Who is behind a session cookie, and in which account they act."""

from __future__ import annotations

import uuid

import msgspec

from stpulse.application.accounts.actor import Actor
from stpulse.application.accounts.deps import AccountsDeps
from stpulse.application.kernel.deps import hash_token
from stpulse.domain.accounts.users import Account, User
from stpulse.domain.kernel.errors import NotFound


class Visitor(msgspec.Struct, frozen=True, kw_only=True):
    user: User
    actor: Actor | None  # None: the user belongs to no account (e.g. a pure admin)
    accounts: list[Account] = []  # every account the user is a member of (for the switcher)


async def resolve_session(deps: AccountsDeps, raw: str) -> Visitor | None:
    if not raw:
        return None
    now = deps.clock.now()
    async with deps.uow() as uow:
        session = await uow.sessions.get(hash_token(raw))
        if session is None or session.expires_at < now:
            return None
        user = await uow.users.get(session.user_id)
        if user is None or user.is_blocked:
            return None
        memberships = await uow.memberships.for_user(user.id)
        chosen = next((m for m in memberships if m.account_id == session.account_id), None)
        chosen = chosen or (memberships[0] if memberships else None)
        accounts = [a for m in memberships if (a := await uow.accounts.get(m.account_id))]
    account = next((a for a in accounts if chosen and a.id == chosen.account_id), None)
    actor = Actor(user=user, account=account, membership=chosen) if account and chosen else None
    return Visitor(user=user, actor=actor, accounts=accounts)


async def switch_account(deps: AccountsDeps, raw: str, account_id: uuid.UUID) -> None:
    async with deps.uow() as uow:
        session = await uow.sessions.get(hash_token(raw))
        if session is None:
            raise NotFound("Сессия не найдена")
        memberships = await uow.memberships.for_user(session.user_id)
        if all(m.account_id != account_id for m in memberships):
            raise NotFound("Аккаунт не найден")
        await uow.sessions.delete(session.token_hash)
        await uow.sessions.add(msgspec.structs.replace(session, account_id=account_id))
        await uow.commit()
