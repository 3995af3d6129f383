"""The cabinet home, profile, password and e-mail change, cabinet search and account switching."""

from __future__ import annotations

import uuid

from litestar import Controller, Request, get, post
from litestar.di import Provide
from litestar.response import Redirect, Template

from stpulse.application.accounts import email_change, search, sessions
from stpulse.application.accounts import identity as accounts
from stpulse.application.accounts.actor import Actor
from stpulse.application.accounts.shop_access import visible_shops
from stpulse.domain.kernel.errors import ValidationError
from stpulse.entrypoints.web.accounts.navigation import cabinet_search
from stpulse.entrypoints.web.auth import SESSION_COOKIE, deps_of, provide_actor
from stpulse.entrypoints.web.render import form_error, redirect, render

CABINET_SEARCH = cabinet_search()


class CabinetController(Controller):
    path = "/app"
    dependencies = {"actor": Provide(provide_actor)}

    @get("/")
    async def home(self, request: Request, actor: Actor) -> Template:
        deps = deps_of(request)
        async with deps.uow() as uow:
            shops = await visible_shops(uow, actor)
            entities = await uow.legal_entities.for_account(actor.account_id)
            members = await uow.memberships.for_account(actor.account_id)
        return render(request, "accounts/home.html", actor=actor, shops=shops, entities=entities, members=members)

    @get("/profile")
    async def profile(self, request: Request, actor: Actor) -> Template:
        return render(request, "accounts/profile.html", actor=actor,
                      form={"full_name": actor.user.full_name, "phone": actor.user.phone})

    @post("/profile")
    async def profile_save(self, request: Request, actor: Actor) -> Template:
        raw = dict(await request.form())
        try:
            await accounts.update_profile(deps_of(request), actor.user, str(raw.get("full_name", "")),
                                          str(raw.get("phone", "")))
        except ValidationError as exc:
            return form_error(request, "accounts/profile.html", exc, raw, partial="accounts/partials/profile_form.html", actor=actor)
        return render(request, "accounts/profile.html", partial="accounts/partials/profile_form.html", actor=actor, form=raw,
                      saved=True)

    @post("/password")
    async def password_change(self, request: Request, actor: Actor) -> Template:
        raw = dict(await request.form())
        try:
            await accounts.change_password(deps_of(request), actor.user, str(raw.get("old_password", "")),
                                           str(raw.get("new_password", "")), str(raw.get("new_password_confirm", "")),
                                           keep_session=request.cookies.get(SESSION_COOKIE, ""))
        except ValidationError as exc:
            return form_error(request, "accounts/profile.html", exc, {}, partial="accounts/partials/password_form.html",
                              actor=actor, pw_errors=True)
        return render(request, "accounts/profile.html", partial="accounts/partials/password_form.html", actor=actor,
                      password_saved=True)

    @post("/email")
    async def email_change(self, request: Request, actor: Actor) -> Template:
        raw = dict(await request.form())
        try:
            sent_to = await email_change.request_email_change(deps_of(request), actor.user,
                                                              str(raw.get("new_email", "")), str(raw.get("password", "")))
        except ValidationError as exc:
            return form_error(request, "accounts/profile.html", exc, {"new_email": raw.get("new_email", "")},
                              partial="accounts/partials/email_form.html", actor=actor, email_errors=True)
        return render(request, "accounts/profile.html", partial="accounts/partials/email_form.html", actor=actor,
                      email_sent=sent_to)

    @get("/search")
    async def search(self, request: Request, actor: Actor, q: str = "") -> Template:
        hits = await search.search_cabinet(deps_of(request), actor, q, CABINET_SEARCH)
        return render(request, "accounts/search.html", partial="accounts/partials/search_results.html", actor=actor, q=q, hits=hits)

    @post("/switch/{account_id:uuid}")
    async def switch(self, request: Request, actor: Actor, account_id: uuid.UUID) -> Redirect:
        await sessions.switch_account(deps_of(request), request.cookies.get(SESSION_COOKIE, ""), account_id)
        return redirect(request, "/app")
