"""Shortcuts for building signed-in actors in unit tests."""

from __future__ import annotations

import datetime as dt

import msgspec

from stpulse.application.accounts import identity as accounts
from stpulse.application.accounts import teams
from stpulse.application.accounts.actor import Actor
from stpulse.application.accounts.sessions import resolve_session
from stpulse.application.billing import subscriptions
from stpulse.application.billing.common import catalog
from stpulse.domain.billing import Subscription, Tariff
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


async def subscribe(deps: Deps, actor: Actor, tariff: str | Tariff, *, days_ago: int = 0, months: int = 1) -> None:
    """Replace the owner's subscription by one paid period of `tariff` (a code, or a Tariff stored first) that
    started `days_ago` (a month and more ago, plus the grace days: expired)."""
    now = deps.clock.now()
    async with deps.uow() as uow:
        await catalog(uow)  # the default tariffs first: a stored tariff alone would hide them
        if isinstance(tariff, Tariff):
            await uow.tariffs.save(tariff)
        code = tariff if isinstance(tariff, str) else tariff.code
        sub = Subscription.new(user_id=actor.account.owner_id, tariff_code=code, now=now - dt.timedelta(days=days_ago))
        sub = sub.payment_succeeded(payment_id=f"test-{code}-{days_ago}", tariff_code=code, months=months,
                                    paid_at=now - dt.timedelta(days=days_ago), amount=0)
        await uow.subscriptions.save(sub.tick(now))
        await uow.commit()
