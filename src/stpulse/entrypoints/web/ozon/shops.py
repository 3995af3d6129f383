"""Ozon shops: list, connect, shop page with live sync progress, rotate key, disconnect, «Обновить сейчас»."""

from __future__ import annotations

import uuid

import msgspec
from litestar import Controller, Request, get, post
from litestar.di import Provide
from litestar.response import Redirect, Template

from stpulse.application.accounts import legal_entities as legal
from stpulse.application.accounts.actor import Actor
from stpulse.application.ads.keys import list_keys as ad_key_list
from stpulse.application.billing.client_ids import CLIENT_ID_USE_TITLES, ClientIdUse, client_id_usage
from stpulse.application.ozon import shops as svc
from stpulse.domain.accounts.users import Permission
from stpulse.domain.kernel.errors import ValidationError
from stpulse.entrypoints.ozon_wiring import EMBEDDED_SHOPS, uses_embedded_sandbox
from stpulse.entrypoints.web.auth import deps_of, provide_actor
from stpulse.entrypoints.web.forms import form_dict, parse_form
from stpulse.entrypoints.web.render import form_error, redirect, render


class SandboxSeller(msgspec.Struct, frozen=True, kw_only=True):
    client_id: str
    api_key: str
    profile: str
    use: ClientIdUse

    @property
    def use_title(self) -> str:
        return CLIENT_ID_USE_TITLES[self.use]


async def _sandbox_hint(request: Request, actor: Actor) -> list[SandboxSeller]:
    """The embedded sandbox's test sellers and which of them are already taken (by a trial or a shop)."""
    if not uses_embedded_sandbox(request.app.state.container.settings):
        return []
    uses = await client_id_usage(deps_of(request), actor.user.id, actor.account_id, frozenset(EMBEDDED_SHOPS))
    return [SandboxSeller(client_id=cid, api_key=key, profile=profile, use=uses[cid])
            for cid, (key, _seed, profile) in EMBEDDED_SHOPS.items()]


class ShopController(Controller):
    path = "/app/shops"
    dependencies = {"actor": Provide(provide_actor)}

    @get("/")
    async def index(self, request: Request, actor: Actor) -> Template:
        shops = await svc.list_shops(deps_of(request), actor)
        return render(request, "ozon/shops.html", actor=actor, shops=shops,
                      can_manage=actor.membership.can(Permission.MANAGE_SHOPS))

    @get("/new")
    async def new(self, request: Request, actor: Actor) -> Template:
        actor.membership.require(Permission.MANAGE_SHOPS)
        return render(request, "ozon/shop_new.html", actor=actor, sandbox=await _sandbox_hint(request, actor))

    @post("/new")
    async def create(self, request: Request, actor: Actor) -> Template | Redirect:
        form, raw = await parse_form(request, svc.ConnectShop)
        try:
            shop = await svc.connect_shop(deps_of(request), actor, form)
        except ValidationError as exc:
            raw.pop("api_key", None)  # never echo the key back
            return form_error(request, "ozon/shop_new.html", exc, raw, actor=actor, sandbox=await _sandbox_hint(request, actor))
        return redirect(request, f"/app/shops/{shop.id}")

    @get("/{shop_id:uuid}")
    async def show(self, request: Request, actor: Actor, shop_id: uuid.UUID) -> Template:
        page = await svc.shop_page(deps_of(request), actor, shop_id)
        ad_keys = await ad_key_list(deps_of(request), actor, shop_id)  # each key's import state, on the page itself
        return render(request, "ozon/shop.html", partial="ozon/partials/shop_sync.html", actor=actor, page=page,
                      ad_keys=ad_keys, can_manage=actor.membership.can(Permission.MANAGE_SHOPS),
                      can_link=actor.membership.can(Permission.EDIT_FINANCE))

    @get("/{shop_id:uuid}/progress")
    async def progress(self, request: Request, actor: Actor, shop_id: uuid.UUID) -> Template:
        page = await svc.shop_page(deps_of(request), actor, shop_id)
        return render(request, "ozon/partials/shop_sync.html", actor=actor, page=page)

    @post("/{shop_id:uuid}/sync")
    async def sync_now(self, request: Request, actor: Actor, shop_id: uuid.UUID) -> Redirect:
        await svc.request_sync(deps_of(request), actor, shop_id)
        return redirect(request, f"/app/shops/{shop_id}")

    @post("/{shop_id:uuid}/legal-entity")
    async def link_entity(self, request: Request, actor: Actor, shop_id: uuid.UUID) -> Template | Redirect:
        raw = await form_dict(request)
        try:
            entity_id = uuid.UUID(raw["legal_entity_id"]) if raw.get("legal_entity_id") else None
        except ValueError:
            entity_id = uuid.uuid4()  # unknown: the service answers «выберите юрлицо из списка»
        try:
            await legal.link_shop(deps_of(request), actor, shop_id, entity_id)
        except ValidationError as exc:
            page = await svc.shop_page(deps_of(request), actor, shop_id)
            return form_error(request, "ozon/shop.html", exc, raw, actor=actor, page=page,
                              can_manage=actor.membership.can(Permission.MANAGE_SHOPS),
                              can_link=actor.membership.can(Permission.EDIT_FINANCE))
        return redirect(request, f"/app/shops/{shop_id}")

    @post("/{shop_id:uuid}/key")
    async def rotate(self, request: Request, actor: Actor, shop_id: uuid.UUID) -> Template | Redirect:
        form, _ = await parse_form(request, svc.RotateKey)
        try:
            await svc.rotate_key(deps_of(request), actor, shop_id, form)
        except ValidationError as exc:
            page = await svc.shop_page(deps_of(request), actor, shop_id)
            return form_error(request, "ozon/shop.html", exc, {}, actor=actor, page=page, can_manage=True)
        return redirect(request, f"/app/shops/{shop_id}")

    @get("/{shop_id:uuid}/disconnect")
    async def confirm_disconnect(self, request: Request, actor: Actor, shop_id: uuid.UUID) -> Template:
        shop = await svc.get_shop(deps_of(request), actor, shop_id)
        actor.membership.require(Permission.MANAGE_SHOPS)
        return render(request, "ozon/shop_disconnect.html", actor=actor, shop=shop)

    @post("/{shop_id:uuid}/disconnect")
    async def disconnect(self, request: Request, actor: Actor, shop_id: uuid.UUID) -> Template | Redirect:
        raw = await form_dict(request)
        shop = await svc.get_shop(deps_of(request), actor, shop_id)
        keep = raw.get("data") == "keep"
        if raw.get("data") not in ("keep", "delete") or (not keep and raw.get("confirm_name", "").strip() != shop.name):
            exc = ValidationError({"confirm_name": "Выберите, что сделать с данными; для удаления введите "
                                                   "название магазина точно"})
            return form_error(request, "ozon/shop_disconnect.html", exc, raw, actor=actor, shop=shop)
        await svc.disconnect_shop(deps_of(request), actor, shop_id, keep_data=keep)
        return redirect(request, "/app/shops")
