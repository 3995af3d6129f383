"""Public content pages (help, offer, privacy policy) and the site's front page."""

from __future__ import annotations

from litestar import Controller, Request, get
from litestar.response import Redirect, Template

from stpulse.application.accounts import content
from stpulse.entrypoints.web.auth import current_visitor, deps_of
from stpulse.entrypoints.web.render import render


class PagesController(Controller):
    path = "/"

    @get("/")
    async def index(self, request: Request) -> Template | Redirect:
        if await current_visitor(request):
            return Redirect(path="/app")
        return render(request, "landing.html")

    @get("/pages/{slug:str}")
    async def show(self, request: Request, slug: str) -> Template:
        visitor = await current_visitor(request)
        page = await content.show_page(deps_of(request), slug, visitor.user if visitor else None)
        return render(request, "page.html", page=page.page, html=page.html,
                      actor=visitor.actor if visitor else None)
