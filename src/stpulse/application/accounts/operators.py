"""What an operator does from the command line for scripts and support (`stpulse user …`, `stpulse shop …`)."""

from __future__ import annotations

import secrets

from stpulse.application.accounts.actor import Actor
from stpulse.application.accounts.admin_users import confirm_user
from stpulse.application.accounts.deps import AccountsDeps
from stpulse.application.accounts.identity import Register, register_new
from stpulse.domain.kernel.errors import NotFound


async def create_user(deps: AccountsDeps, email: str, password: str | None, full_name: str) -> Actor:
    """A confirmed user who owns a new account. Without a password one nobody knows is set: the user chooses
    their own through «Забыли пароль?»."""
    password = password or secrets.token_urlsafe(32)
    user = await register_new(deps, Register(email=email, password=password, password_confirm=password,
                                             full_name=full_name, consent=True))
    await confirm_user(deps, user.id)
    return await owner_actor(deps, email)


async def owner_actor(deps: AccountsDeps, email: str) -> Actor:
    """The user of this address acting in their first account (the one they registered with)."""
    async with deps.uow() as uow:
        user = await uow.users.by_email(email.strip().lower())
        memberships = await uow.memberships.for_user(user.id) if user is not None else []
        account = await uow.accounts.get(memberships[0].account_id) if memberships else None
    if user is None or account is None:
        raise NotFound("Пользователь с такой почтой не найден")
    return Actor(user=user, account=account, membership=memberships[0])
