"""Legal entities: list, add, edit, delete (with confirmation)."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import Provide
from litestar.response import Redirect, Template

from stpulse.application.accounts import legal_entities as svc
from stpulse.application.accounts.actor import Actor
from stpulse.domain.accounts.legal import TAX_REGIME_LABELS, VAT_RATES
from stpulse.domain.accounts.users import Permission
from stpulse.domain.kernel.errors import ValidationError
from stpulse.entrypoints.web.auth import deps_of, provide_actor
from stpulse.entrypoints.web.forms import parse_form
from stpulse.entrypoints.web.render import form_error, redirect, render

CHOICES: dict[str, Any] = {"regimes": list(TAX_REGIME_LABELS.items()), "vat_rates": VAT_RATES}


def _uuid(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(text) if text else None
    except ValueError:
        return None


class LegalEntityController(Controller):
    path = "/app/legal-entities"
    dependencies = {"actor": Provide(provide_actor)}

    @get("/")
    async def index(self, request: Request, actor: Actor) -> Template:
        entities = await svc.list_legal_entities(deps_of(request), actor)
        return render(request, "accounts/legal_list.html", actor=actor, entities=entities, labels=TAX_REGIME_LABELS,
                      can_edit=actor.membership.can(Permission.EDIT_FINANCE))

    @get("/new")
    async def new(self, request: Request, actor: Actor, shop: str = "") -> Template:
        actor.membership.require(Permission.EDIT_FINANCE)
        return render(request, "accounts/legal_form.html", actor=actor, entity=None,
                      form={"kind": "ip", "tax_regime": "usn_income", "tax_rate_percent": "6", "vat_rate": "0",
                            "usn_base": "sales", "link_shop": shop}, **CHOICES)

    @post("/new")
    async def create(self, request: Request, actor: Actor) -> Template | Redirect:
        form, raw = await parse_form(request, svc.LegalEntityForm)
        try:
            entity = await svc.add_legal_entity(deps_of(request), actor, form)
        except ValidationError as exc:
            return form_error(request, "accounts/legal_form.html", exc, raw, actor=actor, entity=None, **CHOICES)
        shop_id = _uuid(raw.get("link_shop", ""))
        if shop_id is None:
            return redirect(request, "/app/legal-entities")
        await svc.link_shop(deps_of(request), actor, shop_id, entity.id)  # added from a shop page: linked at once
        return redirect(request, f"/app/shops/{shop_id}")

    @get("/{entity_id:uuid}")
    async def edit(self, request: Request, actor: Actor, entity_id: uuid.UUID) -> Template:
        entity = await svc.get_legal_entity(deps_of(request), actor, entity_id)
        form = {name: str(getattr(entity, name)) for name in svc.LegalEntityForm.__struct_fields__}
        shops = await svc.linked_shops(deps_of(request), actor, entity_id)
        return render(request, "accounts/legal_form.html", actor=actor, entity=entity, form=form, shops=shops,
                      can_edit=actor.membership.can(Permission.EDIT_FINANCE), **CHOICES)

    @post("/{entity_id:uuid}")
    async def update(self, request: Request, actor: Actor, entity_id: uuid.UUID) -> Template | Redirect:
        entity = await svc.get_legal_entity(deps_of(request), actor, entity_id)
        form, raw = await parse_form(request, svc.LegalEntityForm)
        try:
            await svc.update_legal_entity(deps_of(request), actor, entity_id, form)
        except ValidationError as exc:
            return form_error(request, "accounts/legal_form.html", exc, raw, actor=actor, entity=entity, **CHOICES)
        return redirect(request, "/app/legal-entities")

    @post("/{entity_id:uuid}/delete")
    async def delete(self, request: Request, actor: Actor, entity_id: uuid.UUID) -> Redirect:
        await svc.delete_legal_entity(deps_of(request), actor, entity_id)
        return redirect(request, "/app/legal-entities")
