"""Shortcuts for building signed-in actors in unit tests."""

from __future__ import annotations

import msgspec

from stpulse.application.accounts import identity as accounts
from stpulse.application.accounts import teams
from stpulse.application.accounts.actor import Actor
from stpulse.application.accounts.sessions import resolve_session
from stpulse.application.billing import subscriptions
from stpulse.entrypoints.deps import Deps

PASSWORD = "correct-horse-1"


async def actor_for(deps: Deps, email: str = "owner@example.ru", role: str = "owner", *, trial: bool = True) -> Actor:
    """An owner of a fresh account, or (role != owner) a member invited into one. With `trial` the owner has
    started the trial (every feature), since an account without a subscription is read-only."""
    owner_email = email if role == "owner" else f"owner-of-{email}"
    await accounts.register(deps, accounts.Register(email=owner_email, password=PASSWORD, password_confirm=PASSWORD,
                                                    full_name="Владелец", consent=True))
    owner = await _sign_in(deps, owner_email)
    if trial:
        await subscriptions.start_trial(deps, owner)
    if role == "owner":
        return owner
    await teams.invite_member(deps, owner, teams.Invite(email=email, role=role))
    link = deps.mailer.last_link(email)  # type: ignore[attr-defined]
    await accounts.register(deps, accounts.Register(email=email, password=PASSWORD, password_confirm=PASSWORD,
                                                    full_name="Сотрудник", consent=True,
                                                    invite_token=link.rsplit("/", 1)[-1]))
    return await _sign_in(deps, email)


async def member_of(deps: Deps, owner: Actor, role: str, email: str) -> Actor:
    """A member with `role` invited into the owner's account."""
    await teams.invite_member(deps, owner, teams.Invite(email=email, role=role))
    link = deps.mailer.last_link(email)  # type: ignore[attr-defined]
    await accounts.register(deps, accounts.Register(email=email, password=PASSWORD, password_confirm=PASSWORD,
                                                    full_name="Сотрудник", consent=True,
                                                    invite_token=link.rsplit("/", 1)[-1]))
    return await _sign_in(deps, email)


async def _sign_in(deps: Deps, email: str) -> Actor:
    async with deps.uow() as uow:
        user = await uow.users.by_email(email)
        assert user is not None
        if not user.confirmed:
            await uow.users.update(msgspec.structs.replace(user, email_confirmed_at=deps.clock.now()))
            await uow.commit()
    signed = await accounts.login(deps, accounts.Login(email=email, password=PASSWORD))
    visitor = await resolve_session(deps, signed.session_token)
    assert visitor is not None and visitor.actor is not None
    return visitor.actor
