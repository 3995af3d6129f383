"""Performance keys of a shop in the cabinet: add (checked live), rotate, remove, list — as the Seller key.

The Client Secret is encrypted at rest (deps.secrets), goes in clear text only to the Performance adapter, and is
never rendered back nor logged. A key belongs to one shop; the shop access of the actor is checked first.
"""

from __future__ import annotations

import uuid

import msgspec

from stpulse.application.accounts.actor import Actor
from stpulse.application.accounts.shop_access import require_shop
from stpulse.application.ads.deps import AdsDeps
from stpulse.application.ads.ports import (
    PerformanceCredentials,
    PerformanceError,
    PerformanceKeyInvalid,
    StoredKey,
)
from stpulse.application.billing.policy import require_writable
from stpulse.application.kernel.deps import new_id
from stpulse.application.kernel.outbox import queue_job, relay_outbox
from stpulse.domain.accounts.users import Permission
from stpulse.domain.ads.keys import PerformanceKey, check_key_fields
from stpulse.domain.kernel.errors import NotFound, ValidationError

KEY_NOT_FOUND = "Ключ Performance API не найден"


class AddKey(msgspec.Struct, frozen=True, kw_only=True):
    label: str = ""
    organisation: str = ""
    client_id: str = ""
    client_secret: str = ""


class RotateSecret(msgspec.Struct, frozen=True, kw_only=True):
    client_id: str = ""
    client_secret: str = ""


async def _check_live(deps: AdsDeps, client_id: str, secret: str, organisation: str) -> None:
    if deps.performance is None:
        raise ValidationError({"client_secret": "Подключение к Performance API не настроено на этом сервере"})
    try:
        await deps.performance(PerformanceCredentials(client_id=client_id, client_secret=secret,
                                                      organisation=organisation)).check()
    except PerformanceKeyInvalid as exc:
        raise ValidationError({"client_secret": exc.message}) from None
    except PerformanceError as exc:
        raise ValidationError({"form": exc.message}) from None


async def list_keys(deps: AdsDeps, actor: Actor, shop_id: uuid.UUID) -> list[PerformanceKey]:
    async with deps.uow() as uow:
        await require_shop(uow, actor, shop_id)
        return await uow.ad_keys.of_shop(actor.account_id, shop_id)


async def add_key(deps: AdsDeps, actor: Actor, shop_id: uuid.UUID, form: AddKey) -> PerformanceKey:
    async with deps.uow() as uow:
        await require_shop(uow, actor, shop_id)  # another shop is not found, whatever the role or the form
        actor.membership.require(Permission.MANAGE_SHOPS)
        await require_writable(uow, actor.account_id, deps.clock.now())
    label, organisation, client_id = check_key_fields(form.label, form.organisation, form.client_id,
                                                      form.client_secret)
    async with deps.uow() as uow:
        if any(k.client_id == client_id for k in await uow.ad_keys.of_shop(actor.account_id, shop_id)):
            raise ValidationError({"client_id": "Этот ключ уже добавлен к магазину"})
    await _check_live(deps, client_id, form.client_secret.strip(), organisation)
    key = PerformanceKey(id=new_id(), account_id=actor.account_id, shop_id=shop_id, label=label,
                         organisation=organisation, client_id=client_id, created_at=deps.clock.now())
    async with deps.uow() as uow:
        await uow.ad_keys.add(key, deps.secrets.encrypt(form.client_secret.strip()))
        await uow.audit.record(actor.user.id, "ads.key.add", str(key.id), "", deps.clock.now())
        await queue_job(uow, deps.clock, "sync_ads", shop_id=str(shop_id))
        await uow.commit()
    await relay_outbox(deps)
    return key


async def _writable(deps: AdsDeps, actor: Actor) -> None:
    async with deps.uow() as uow:  # an expired account is read-only (its keys stay as they are)
        await require_writable(uow, actor.account_id, deps.clock.now())


async def _own_key(deps: AdsDeps, actor: Actor, shop_id: uuid.UUID, key_id: uuid.UUID) -> StoredKey:
    async with deps.uow() as uow:
        await require_shop(uow, actor, shop_id)
        stored = await uow.ad_keys.get(actor.account_id, key_id)
    if stored is None or stored.key.shop_id != shop_id:
        raise NotFound(KEY_NOT_FOUND)
    return stored


async def rotate_key(deps: AdsDeps, actor: Actor, shop_id: uuid.UUID, key_id: uuid.UUID,
                     form: RotateSecret) -> None:
    """A new Client Secret (and Client ID, if Ozon issued a new one): checked live; the key becomes active again."""
    stored = await _own_key(deps, actor, shop_id, key_id)
    actor.membership.require(Permission.MANAGE_SHOPS)
    await _writable(deps, actor)
    client_id = form.client_id.strip() or stored.key.client_id
    check_key_fields(stored.key.label, stored.key.organisation, client_id, form.client_secret)
    await _check_live(deps, client_id, form.client_secret.strip(), stored.key.organisation)
    async with deps.uow() as uow:
        await uow.ad_keys.rotate(key_id, deps.secrets.encrypt(form.client_secret.strip()), client_id)
        await uow.audit.record(actor.user.id, "ads.key.rotate", str(key_id), "", deps.clock.now())
        await queue_job(uow, deps.clock, "sync_ads", shop_id=str(shop_id))
        await uow.commit()
    await relay_outbox(deps)


async def remove_key(deps: AdsDeps, actor: Actor, shop_id: uuid.UUID, key_id: uuid.UUID) -> None:
    """The key, its statistics and their «из рекламного кабинета» rollups go."""
    await _own_key(deps, actor, shop_id, key_id)
    actor.membership.require(Permission.MANAGE_SHOPS)
    async with deps.uow() as uow:
        await require_writable(uow, actor.account_id, deps.clock.now())
        await uow.ad_keys.remove(key_id)
        await uow.audit.record(actor.user.id, "ads.key.remove", str(key_id), "", deps.clock.now())
        await uow.commit()


async def sync_now(deps: AdsDeps, actor: Actor, shop_id: uuid.UUID) -> None:
    async with deps.uow() as uow:
        await require_shop(uow, actor, shop_id)
        actor.membership.require(Permission.EDIT_DATA)
        await require_writable(uow, actor.account_id, deps.clock.now())
        await queue_job(uow, deps.clock, "sync_ads", shop_id=str(shop_id))
        await uow.commit()
    await relay_outbox(deps)
