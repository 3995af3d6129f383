"""Admin: the mapping of Ozon accrual types to P&L articles and the queue of types it does not know."""

from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.di import Provide
from litestar.response import Redirect, Template

from stpulse.application.ledger import admin as ledger_admin
from stpulse.domain.accounts.users import User
from stpulse.domain.kernel.errors import ValidationError
from stpulse.entrypoints.web.auth import deps_of, provide_admin
from stpulse.entrypoints.web.render import form_error, redirect, render


class LedgerAdminController(Controller):
    path = "/admin/ledger"
    dependencies = {"admin": Provide(provide_admin)}

    @get("/")
    async def index(self, request: Request, admin: User) -> Template:
        screen = await ledger_admin.ledger_screen(deps_of(request), admin)
        return render(request, "ledger/admin/ledger.html", admin=admin, screen=screen,
                      choices=ledger_admin.ARTICLE_CHOICES, names=dict(ledger_admin.ARTICLE_CHOICES))

    @get("/remaps")
    async def remaps(self, request: Request, admin: User) -> Template:
        """The self-polling progress of the recalculations (it stops polling when none is running)."""
        remaps = await ledger_admin.remaps_progress(deps_of(request), admin)
        page = render(request, "ledger/admin/partials/remaps.html", remaps=remaps,
                      names=dict(ledger_admin.ARTICLE_CHOICES))
        if all(r.finished_at is not None for r in remaps):  # the last poll: the queue beside it changed too
            page.headers["HX-Refresh"] = "true"
        return page

    @post("/")
    async def update(self, request: Request, admin: User) -> Template | Redirect:
        raw = dict(await request.form())
        try:
            type_id = int(str(raw.get("type_id", "")).strip())
            await ledger_admin.map_type(deps_of(request), admin, type_id, str(raw.get("article", "")))
        except (ValueError, ValidationError) as exc:
            screen = await ledger_admin.ledger_screen(deps_of(request), admin)
            fields = exc.fields if isinstance(exc, ValidationError) else {"type_id": "Укажите номер типа"}
            return form_error(request, "ledger/admin/ledger.html", ValidationError(fields), raw, admin=admin, screen=screen,
                              choices=ledger_admin.ARTICLE_CHOICES, names=dict(ledger_admin.ARTICLE_CHOICES))
        return redirect(request, "/admin/ledger")
