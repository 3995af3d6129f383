"""A shop's Performance API keys: list with each key's import state, add, rotate, remove (confirmed), load now.

The Client Secret is never rendered back: a form with an error is shown again without it."""

from __future__ import annotations

import uuid

import msgspec
from litestar import Controller, Request, get, post
from litestar.di import Provide
from litestar.response import Redirect, Template

from stpulse.application.accounts.actor import Actor
from stpulse.application.ads import keys as svc
from stpulse.domain.accounts.users import Permission
from stpulse.domain.ads.keys import PerformanceKey
from stpulse.domain.kernel.errors import ValidationError
from stpulse.entrypoints.ads_wiring import EMBEDDED_AD_ACCOUNTS, uses_embedded_performance
from stpulse.entrypoints.web.auth import deps_of, provide_actor
from stpulse.entrypoints.web.forms import form_dict, parse_form
from stpulse.entrypoints.web.render import form_error, redirect, render


class SandboxAccount(msgspec.Struct, frozen=True, kw_only=True):
    client_id: str
    client_secret: str
    organisation: str


def _sandbox_accounts(request: Request) -> list[SandboxAccount]:
    if not uses_embedded_performance(request.app.state.container.settings):
        return []
    return [SandboxAccount(client_id=c, client_secret=s, organisation=org)
            for c, (s, _seller, org) in EMBEDDED_AD_ACCOUNTS.items()]


class AdKeysController(Controller):
    path = "/app/shops/{shop_id:uuid}/ads"
    dependencies = {"actor": Provide(provide_actor)}

    async def _page(self, request: Request, actor: Actor, shop_id: uuid.UUID, **extra: object) -> dict:
        keys = await svc.list_keys(deps_of(request), actor, shop_id)
        return {"actor": actor, "shop_id": shop_id, "keys": keys, "sandbox": _sandbox_accounts(request),
                "can_manage": actor.membership.can(Permission.MANAGE_SHOPS), **extra}

    @get("/")
    async def index(self, request: Request, actor: Actor, shop_id: uuid.UUID) -> Template:
        context = await self._page(request, actor, shop_id)
        return render(request, "ads/keys.html", partial="ads/partials/keys_state.html", **context)

    @get("/summary")
    async def summary(self, request: Request, actor: Actor, shop_id: uuid.UUID) -> Template:
        """The fragment the shop page loads: each key's state, a refused key named with its message."""
        return render(request, "ads/partials/summary.html", **await self._page(request, actor, shop_id))

    @post("/")
    async def add(self, request: Request, actor: Actor, shop_id: uuid.UUID) -> Template | Redirect:
        form, raw = await parse_form(request, svc.AddKey)
        try:
            await svc.add_key(deps_of(request), actor, shop_id, form)
        except ValidationError as exc:
            raw.pop("client_secret", None)  # never echo the secret back
            return form_error(request, "ads/keys.html", exc, raw, **await self._page(request, actor, shop_id))
        return redirect(request, f"/app/shops/{shop_id}/ads")

    @post("/sync")
    async def sync_now(self, request: Request, actor: Actor, shop_id: uuid.UUID) -> Redirect:
        await svc.sync_now(deps_of(request), actor, shop_id)
        return redirect(request, f"/app/shops/{shop_id}/ads")

    @post("/{key_id:uuid}/rotate")
    async def rotate(self, request: Request, actor: Actor, shop_id: uuid.UUID, key_id: uuid.UUID
                     ) -> Template | Redirect:
        form, raw = await parse_form(request, svc.RotateSecret)
        try:
            await svc.rotate_key(deps_of(request), actor, shop_id, key_id, form)
        except ValidationError as exc:
            raw.pop("client_secret", None)
            return form_error(request, "ads/keys.html", exc, raw, rotating=key_id,
                              **await self._page(request, actor, shop_id))
        return redirect(request, f"/app/shops/{shop_id}/ads")

    @get("/{key_id:uuid}/remove")
    async def confirm_remove(self, request: Request, actor: Actor, shop_id: uuid.UUID, key_id: uuid.UUID
                             ) -> Template:
        key = _find(await svc.list_keys(deps_of(request), actor, shop_id), key_id)
        actor.membership.require(Permission.MANAGE_SHOPS)
        return render(request, "ads/key_remove.html", actor=actor, shop_id=shop_id, key=key)

    @post("/{key_id:uuid}/remove")
    async def remove(self, request: Request, actor: Actor, shop_id: uuid.UUID, key_id: uuid.UUID) -> Redirect:
        raw = await form_dict(request)
        _find(await svc.list_keys(deps_of(request), actor, shop_id), key_id)  # another account's key: 404 first
        if raw.get("confirm") != "yes":
            return redirect(request, f"/app/shops/{shop_id}/ads/{key_id}/remove")
        await svc.remove_key(deps_of(request), actor, shop_id, key_id)
        return redirect(request, f"/app/shops/{shop_id}/ads")


def _find(keys: list[PerformanceKey], key_id: uuid.UUID) -> PerformanceKey:
    for key in keys:
        if key.id == key_id:
            return key
    from stpulse.domain.kernel.errors import NotFound  # noqa: PLC0415

    raise NotFound(svc.KEY_NOT_FOUND)
