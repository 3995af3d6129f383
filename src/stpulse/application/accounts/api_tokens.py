"""Personal API tokens: created and revoked by the user; only a SHA-256 of the secret is stored."""

from __future__ import annotations

import datetime as dt
import secrets
import uuid

from stpulse.application.accounts.actor import Actor
from stpulse.application.accounts.deps import AccountsDeps
from stpulse.application.accounts.ports import ApiToken
from stpulse.application.billing.policy import Entitlement, entitlement, require_feature, tariff_with
from stpulse.application.kernel.deps import hash_token, new_id
from stpulse.domain.accounts.users import Permission
from stpulse.domain.billing.tariffs import FEATURE_API_ACCESS
from stpulse.domain.kernel.errors import NotFound, PermissionDenied, ValidationError

PREFIX = "stp_"
TOUCH_EVERY = dt.timedelta(minutes=1)  # «last used» is shown to the minute


async def create_token(deps: AccountsDeps, actor: Actor, name: str) -> tuple[ApiToken, str]:
    """The raw secret is returned once, to be shown once."""
    actor.membership.require(Permission.VIEW)
    name = name.strip()
    if not name or len(name) > 100:
        raise ValidationError({"name": "Название токена — от 1 до 100 символов"})
    raw = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(id=new_id(), account_id=actor.account_id, user_id=actor.user.id, name=name, prefix=raw[:10],
                     token_hash=hash_token(raw))
    async with deps.uow() as uow:
        await require_feature(uow, actor.account_id, deps.clock.now(), FEATURE_API_ACCESS, write=True)
        await uow.api_tokens.add(token)
        await uow.audit.record(actor.user.id, "api_token.create", str(token.id), name, deps.clock.now(),
                               account_id=actor.account_id)
        await uow.commit()
    return token, raw


async def list_tokens(deps: AccountsDeps, actor: Actor) -> list[ApiToken]:
    async with deps.uow() as uow:
        return await uow.api_tokens.for_user(actor.account_id, actor.user.id)


async def revoke_token(deps: AccountsDeps, actor: Actor, token_id: uuid.UUID) -> None:
    async with deps.uow() as uow:
        if not await uow.api_tokens.revoke(actor.account_id, actor.user.id, token_id, deps.clock.now()):
            raise NotFound("Токен не найден")
        await uow.audit.record(actor.user.id, "api_token.revoke", str(token_id), "", deps.clock.now(),
                               account_id=actor.account_id)
        await uow.commit()


async def actor_for_token(deps: AccountsDeps, raw: str) -> Actor:
    """The token's user acting in the token's account; revoked, unknown or blocked → PermissionDenied."""
    return (await entitled_actor_for_token(deps, raw))[0]


async def entitled_actor_for_token(deps: AccountsDeps, raw: str) -> tuple[Actor, Entitlement]:
    """`actor_for_token` and the account's entitlement it was checked against (the request's use case may reuse it
    instead of reading the tariff again)."""
    denied = PermissionDenied("Токен API недействителен или отозван")
    if not raw.startswith(PREFIX):
        raise denied
    async with deps.uow() as uow:
        found = await uow.api_tokens.with_owner(hash_token(raw))
        if found is None or found.token.revoked_at is not None:
            raise denied
        token, user, account, membership = found.token, found.user, found.account, found.membership
        if user is None or account is None or membership is None or user.is_blocked:
            raise denied
        now = deps.clock.now()
        entitled = await entitlement(uow, account.id, now)
        tariff_with(entitled.tariff, FEATURE_API_ACCESS)  # read-only accounts keep reading
        if token.last_used_at is None or now - token.last_used_at >= TOUCH_EVERY:  # not a write per request
            await uow.api_tokens.touch(token.id, now)
            await uow.commit()
    return Actor(user=user, account=account, membership=membership), entitled
