"""The admin area: users (search, block) and content pages."""

from __future__ import annotations

import uuid

from litestar import Controller, Request, get, post
from litestar.di import Provide
from litestar.response import Redirect, Template

from stpulse.application.accounts import admin_users as svc
from stpulse.application.accounts import content
from stpulse.application.billing.admin import subscriptions_for
from stpulse.application.ozon import anomalies as ozon_anomalies
from stpulse.domain.accounts.content import ContentPage
from stpulse.domain.accounts.users import User
from stpulse.domain.billing import STATUS_TITLES
from stpulse.domain.kernel.errors import DomainError, ValidationError
from stpulse.entrypoints.web.auth import deps_of, provide_admin
from stpulse.entrypoints.web.forms import PageNumber, parse_form
from stpulse.entrypoints.web.render import form_error, redirect, render


class AdminController(Controller):
    path = "/admin"
    dependencies = {"admin": Provide(provide_admin)}

    @get("/")
    async def index(self) -> Redirect:
        return Redirect(path="/admin/users")

    @get("/users")
    async def users(self, request: Request, admin: User, q: str = "", page: PageNumber = 1) -> Template:
        listing = await svc.list_users(deps_of(request), admin, q, page)
        subs = await subscriptions_for(deps_of(request), admin, [u.id for u in listing.items])
        return render(request, "accounts/admin/users.html", partial="accounts/partials/admin_users_table.html", admin=admin,
                      listing=listing, subs=subs, now=deps_of(request).clock.now(), status_titles=STATUS_TITLES)

    @post("/users/{user_id:uuid}/block")
    async def block(self, request: Request, admin: User, user_id: uuid.UUID) -> Redirect:
        raw = dict(await request.form())
        await svc.set_blocked(deps_of(request), admin, user_id, raw.get("blocked") == "1", str(raw.get("reason", "")))
        return redirect(request, "/admin/users")

    @get("/anomalies")
    async def anomalies(self, request: Request, admin: User) -> Template:
        rows = await ozon_anomalies.list_anomalies(deps_of(request), admin)
        return render(request, "ozon/admin/anomalies.html", admin=admin, rows=rows)

    @get("/pages")
    async def pages(self, request: Request, admin: User) -> Template:
        return render(request, "accounts/admin/pages.html", admin=admin, pages=await content.list_pages(deps_of(request), admin))

    @get("/pages/new")
    async def new_page(self, request: Request, admin: User) -> Template:
        return render(request, "accounts/admin/page_form.html", admin=admin, page=None)

    @post("/pages/new")
    async def create_page(self, request: Request, admin: User) -> Template | Redirect:
        return await _save_page(request, admin, None)

    @get("/pages/{page_id:uuid}")
    async def edit_page(self, request: Request, admin: User, page_id: uuid.UUID) -> Template:
        page = await content.get_page(deps_of(request), admin, page_id)
        return render(request, "accounts/admin/page_form.html", admin=admin, page=page,
                      form={"slug": page.slug, "title": page.title, "body_markdown": page.body_markdown,
                            "published": page.published})

    @post("/pages/{page_id:uuid}")
    async def update_page(self, request: Request, admin: User, page_id: uuid.UUID) -> Template | Redirect:
        return await _save_page(request, admin, await content.get_page(deps_of(request), admin, page_id))

    @post("/pages/{page_id:uuid}/delete")
    async def delete_page(self, request: Request, admin: User, page_id: uuid.UUID) -> Redirect:
        await content.delete_page(deps_of(request), admin, page_id)
        return redirect(request, "/admin/pages")


async def _save_page(request: Request, admin: User, page: ContentPage | None) -> Template | Redirect:
    form, raw = await parse_form(request, content.PageForm)
    try:
        await content.save_page(deps_of(request), admin, form, page.id if page else None)
    except ValidationError as exc:
        return form_error(request, "accounts/admin/page_form.html", exc, raw, admin=admin, page=page)
    except DomainError as exc:
        return render(request, "accounts/admin/page_form.html", status=exc.status, admin=admin, page=page, form=raw,
                      errors={"slug": exc.message})
    return redirect(request, "/admin/pages")
