"""ДДС in the cabinet: money accounts with opening balances, categories and entries (form, xlsx import/export).
The report itself is the registry's `cash` at /app/reports/cash."""

from __future__ import annotations

import uuid
from functools import partial
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import Provide
from litestar.response import Redirect, Template

from stpulse.adapters.xlsx.cash import XlsxEntrySheetWriter
from stpulse.adapters.xlsx.costs import CalamineCostSheetReader
from stpulse.application.accounts.actor import Actor
from stpulse.application.cash import book
from stpulse.domain.accounts.users import Permission
from stpulse.domain.cash.book import ACTIVITY_TITLES, FLOW_TITLES, KIND_TITLES, AccountKind
from stpulse.domain.kernel.period import Period
from stpulse.entrypoints.web.auth import deps_of, provide_actor
from stpulse.entrypoints.web.forms import PageNumber, save_form
from stpulse.entrypoints.web.render import redirect, render
from stpulse.entrypoints.web.reports.selection import report_request
from stpulse.entrypoints.web.uploads import XLSX, import_upload

PATH = "/app/cash"


class CashController(Controller):
    path = PATH
    dependencies = {"actor": Provide(provide_actor)}

    @get("")
    async def page(self, request: Request, actor: Actor, page: PageNumber = 1) -> Template:
        return await _page(request, actor, page=page)

    @post("/entries")
    async def add_entry(self, request: Request, actor: Actor) -> Template | Redirect:
        return await save_form(request, actor, book.EntryForm, book.add_entry, partial(_page, request, actor, which="entry"), PATH)

    @post("/entries/{entry_id:uuid}/delete")
    async def delete_entry(self, request: Request, actor: Actor, entry_id: uuid.UUID) -> Redirect:
        await book.delete_entry(deps_of(request), actor, entry_id)
        return redirect(request, PATH)

    @post("/accounts")
    async def save_account(self, request: Request, actor: Actor) -> Template | Redirect:
        return await save_form(request, actor, book.AccountForm, book.save_account, partial(_page, request, actor, which="account"), PATH)

    @post("/accounts/{money_account_id:uuid}/delete")
    async def delete_account(self, request: Request, actor: Actor, money_account_id: uuid.UUID) -> Redirect:
        await book.delete_account(deps_of(request), actor, money_account_id)
        return redirect(request, PATH)

    @post("/categories")
    async def save_category(self, request: Request, actor: Actor) -> Template | Redirect:
        return await save_form(request, actor, book.CategoryForm, book.save_category, partial(_page, request, actor, which="category"), PATH)

    @post("/categories/{category_id:uuid}/delete")
    async def delete_category(self, request: Request, actor: Actor, category_id: uuid.UUID) -> Redirect:
        await book.delete_category(deps_of(request), actor, category_id)
        return redirect(request, PATH)

    @post("/import", opt={"upload": True})
    async def import_entries(self, request: Request, actor: Actor) -> Template | Redirect:
        return await import_upload(
            request, lambda data: book.import_entries(deps_of(request), actor, data, CalamineCostSheetReader()),
            partial(_page, request, actor), PATH)

    @get("/export.xlsx")
    async def export_entries(self, request: Request, actor: Actor) -> Response[bytes]:
        data = await book.export_entries(deps_of(request), actor, XlsxEntrySheetWriter())
        return Response(content=data, media_type=XLSX, headers={
            "Content-Disposition": 'attachment; filename="dds.xlsx"', "X-Content-Type-Options": "nosniff"})


async def _page(request: Request, actor: Actor, page: int = 1, status: int = 200, which: str = "",
                errors: dict[str, str] | None = None, form: dict[str, Any] | None = None, **extra: Any) -> Template:
    req, _ = report_request(request)
    period = Period.parse(req.month_from, req.month_to)
    found = await book.cash_book(deps_of(request), actor, period.first_day, period.last_day, page)
    return render(request, "cash/cash.html", status=status, actor=actor, book=found, req=req, which=which,
                  form_errors=errors or {}, form_values=form or {},
                  accounts={a.id: a.name for a in found.accounts}, categories={c.id: c for c in found.categories},
                  kinds=KIND_TITLES, own_kinds=(AccountKind.BANK, AccountKind.CASH), activities=ACTIVITY_TITLES,
                  flows=FLOW_TITLES, can_edit=actor.membership.can(Permission.EDIT_FINANCE), **extra)
