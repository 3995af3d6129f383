"""Who is behind a session cookie, and in which account they act."""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec

from stpulse.application.accounts.actor import Actor
from stpulse.application.accounts.deps import AccountsDeps
from stpulse.application.accounts.ports import SessionOwner
from stpulse.application.billing.policy import Entitlement, entitlement
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
    async with deps.uow() as uow:
        return _visitor(await uow.sessions.with_owner(hash_token(raw)), deps.clock.now())


async def resolve_entitled_session(deps: AccountsDeps, raw: str) -> tuple[Visitor | None, Entitlement | None]:
    """`resolve_session` and, when the visitor acts in an account, that account's entitlement, read in the same unit
    of work: a signed-in page shows the read-only banner from it and a report page bounds its history by its tariff,
    without opening more transactions."""
    if not raw:
        return None, None
    now = deps.clock.now()
    async with deps.uow() as uow:
        visitor = _visitor(await uow.sessions.with_owner(hash_token(raw)), now)
        if visitor is None or visitor.actor is None:
            return visitor, None
        return visitor, await entitlement(uow, visitor.actor.account_id, now)


def _visitor(found: SessionOwner | None, now: dt.datetime) -> Visitor | None:
    """Nobody for an unknown or expired session and for a blocked user; else the user acting in the session's
    account (their first one when the session's is no longer theirs), with every account they belong to."""
    if found is None or found.session.expires_at < now or found.user.is_blocked:
        return None
    memberships = [m for m, _ in found.memberships]
    chosen = next((m for m in memberships if m.account_id == found.session.account_id), None)
    chosen = chosen or (memberships[0] if memberships else None)
    accounts = [a for _, a in found.memberships if a is not None]
    account = next((a for a in accounts if chosen and a.id == chosen.account_id), None)
    actor = Actor(user=found.user, account=account, membership=chosen) if account and chosen else None
    return Visitor(user=found.user, actor=actor, accounts=accounts)


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
