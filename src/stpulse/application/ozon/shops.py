"""Ozon shops of an account: connect (the key checked by a live call), rotate the key, disconnect, sync now.

The Api-Key is encrypted at rest (deps.secrets) and never leaves this module in clear text except to the
Ozon adapter; pages never show it again.
"""

from __future__ import annotations

import uuid

import msgspec

from stpulse.application.accounts.actor import Actor
from stpulse.application.accounts.shop_access import require_every_shop, require_shop, visible_shops
from stpulse.application.billing.limits import check_shop_limit
from stpulse.application.billing.policy import require_writable
from stpulse.application.kernel.deps import new_id
from stpulse.application.kernel.outbox import queue_job, relay_outbox
from stpulse.application.ozon.deps import OzonDeps
from stpulse.application.ozon.ports import OzonAccessDenied, OzonCredentials, OzonError, OzonKeyInvalid
from stpulse.application.ozon.sync_ports import SyncKind, SyncRun
from stpulse.domain.accounts.legal import LegalEntity
from stpulse.domain.accounts.users import Permission
from stpulse.domain.kernel.errors import ValidationError
from stpulse.domain.ledger.shops import Shop, ShopStatus


class ConnectShop(msgspec.Struct, frozen=True, kw_only=True):
    name: str = ""
    client_id: str = ""
    api_key: str = ""


class RotateKey(msgspec.Struct, frozen=True, kw_only=True):
    api_key: str = ""


class ShopPage(msgspec.Struct, frozen=True, kw_only=True):
    shop: Shop
    latest: SyncRun | None
    history: list[SyncRun]
    entities: list[LegalEntity] = msgspec.field(default_factory=list)  # the account's, for the tax link

    @property
    def entity(self) -> LegalEntity | None:
        return next((e for e in self.entities if e.id == self.shop.legal_entity_id), None)


async def _check_key(deps: OzonDeps, client_id: str, api_key: str) -> None:
    if deps.ozon is None:
        raise ValidationError({"api_key": "Подключение к Ozon не настроено на этом сервере"})
    try:
        await deps.ozon(OzonCredentials(client_id=client_id, api_key=api_key)).check_access()
    except (OzonKeyInvalid, OzonAccessDenied) as exc:
        raise ValidationError({"api_key": str(exc)}) from None
    except OzonError as exc:
        raise ValidationError({"form": str(exc)}) from None


def _validate(form: ConnectShop) -> ConnectShop:
    cleaned = ConnectShop(name=form.name.strip()[:200], client_id=form.client_id.strip(), api_key=form.api_key.strip())
    errors = {}
    if not cleaned.name:
        errors["name"] = "Укажите название магазина"
    if not cleaned.client_id.isdigit() or len(cleaned.client_id) > 20:
        errors["client_id"] = "Client-Id — число из личного кабинета Ozon (Настройки → Seller API)"
    if len(cleaned.api_key) < 8 or len(cleaned.api_key) > 200:
        errors["api_key"] = "Вставьте Api-Key целиком"
    if errors:
        raise ValidationError(errors)
    return cleaned


async def connect_shop(deps: OzonDeps, actor: Actor, form: ConnectShop) -> Shop:
    actor.membership.require(Permission.MANAGE_SHOPS)
    require_every_shop(actor)  # a member limited to some shops would not even see the new one
    form = _validate(form)
    async with deps.uow() as unit:
        uow = unit
        if any(s.client_id == form.client_id for s in await uow.shops.for_account(actor.account_id)):
            raise ValidationError({"client_id": "Магазин с этим Client-Id уже подключён"})
        await check_shop_limit(unit, actor.account_id, deps.clock.now(), form.client_id)  # fail fast, not saved
    await _check_key(deps, form.client_id, form.api_key)
    shop = Shop(id=new_id(), account_id=actor.account_id, name=form.name, client_id=form.client_id,
                status=ShopStatus.NEW, created_at=deps.clock.now())
    async with deps.uow() as unit:
        uow = unit
        await check_shop_limit(unit, actor.account_id, deps.clock.now(), form.client_id)
        await uow.shops.add(shop, deps.secrets.encrypt(form.api_key))
        await uow.audit.record(actor.user.id, "shop.connect", str(shop.id), f"{shop.name} (Client-Id {shop.client_id})",
                               deps.clock.now(), account_id=actor.account_id)
        await queue_job(uow, deps.clock, "sync_shop", shop_id=str(shop.id), kind=SyncKind.BACKFILL.value)
        await uow.commit()
    await relay_outbox(deps)
    return shop


async def get_shop(deps: OzonDeps, actor: Actor, shop_id: uuid.UUID) -> Shop:
    """A shop of the actor's account within the member's shop access; else NotFound (404)."""
    async with deps.uow() as unit:
        return await require_shop(unit, actor, shop_id)


async def list_shops(deps: OzonDeps, actor: Actor) -> list[tuple[Shop, SyncRun | None]]:
    async with deps.uow() as unit:
        uow = unit
        shops = await visible_shops(uow, actor)
        return [(s, await uow.sync_runs.latest(s.id)) for s in shops]


async def shop_page(deps: OzonDeps, actor: Actor, shop_id: uuid.UUID, history: int = 20) -> ShopPage:
    shop = await get_shop(deps, actor, shop_id)
    async with deps.uow() as unit:
        uow = unit
        runs = await uow.sync_runs.history(shop_id, history)
        entities = await unit.legal_entities.for_account(actor.account_id)
    return ShopPage(shop=shop, latest=runs[0] if runs else None, history=runs, entities=entities)


async def rotate_key(deps: OzonDeps, actor: Actor, shop_id: uuid.UUID, form: RotateKey) -> Shop:
    shop = await get_shop(deps, actor, shop_id)  # not the member's shop: 404 before any role check
    actor.membership.require(Permission.MANAGE_SHOPS)
    api_key = form.api_key.strip()
    if len(api_key) < 8:
        raise ValidationError({"api_key": "Вставьте новый Api-Key целиком"})
    async with deps.uow() as unit:
        await require_writable(unit, actor.account_id, deps.clock.now())
    await _check_key(deps, shop.client_id, api_key)
    updated = msgspec.structs.replace(shop, status=ShopStatus.ACTIVE if shop.synced_to else ShopStatus.NEW)
    async with deps.uow() as unit:
        uow = unit
        await uow.shops.set_key(shop.id, deps.secrets.encrypt(api_key))
        await uow.shops.update(updated)
        await uow.audit.record(actor.user.id, "shop.rotate_key", str(shop.id), shop.name, deps.clock.now(),
                               account_id=actor.account_id)
        await queue_job(uow, deps.clock, "sync_shop", shop_id=str(shop.id), kind=SyncKind.MANUAL.value)
        await uow.commit()
    await relay_outbox(deps)  # with Redis down the key is saved, the page answers, the sync waits in the outbox
    return updated


async def disconnect_shop(deps: OzonDeps, actor: Actor, shop_id: uuid.UUID, keep_data: bool) -> None:
    """Keep: the shop stays (paused, key erased) with its data for reports. Otherwise everything goes."""
    shop = await get_shop(deps, actor, shop_id)  # not the member's shop: 404 before any role check
    actor.membership.require(Permission.MANAGE_SHOPS)
    async with deps.uow() as unit:
        uow = unit
        await require_writable(uow, actor.account_id, deps.clock.now())  # read-only: the data stays
        if keep_data:
            await uow.shops.set_key(shop.id, b"")
            await uow.shops.update(msgspec.structs.replace(shop, status=ShopStatus.PAUSED))
        else:
            await uow.shops.delete(actor.account_id, shop.id)
        action = "shop.disconnect_keep" if keep_data else "shop.delete"
        await uow.audit.record(actor.user.id, action, str(shop.id), shop.name, deps.clock.now(), account_id=actor.account_id)
        await uow.commit()


async def request_sync(deps: OzonDeps, actor: Actor, shop_id: uuid.UUID) -> None:
    """«Обновить сейчас»."""
    shop = await get_shop(deps, actor, shop_id)  # not the member's shop: 404 before any role check
    actor.membership.require(Permission.EDIT_DATA)
    if shop.status == ShopStatus.PAUSED:
        raise ValidationError({"form": "Магазин отключён: подключите ключ API заново, чтобы загружать данные"})
    async with deps.uow() as unit:
        await require_writable(unit, actor.account_id, deps.clock.now())
        await queue_job(unit, deps.clock, "sync_shop", shop_id=str(shop.id), kind=SyncKind.MANUAL.value)
        await unit.commit()
    await relay_outbox(deps)
