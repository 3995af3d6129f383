"""Себестоимость and Расходы in the cabinet."""

from __future__ import annotations

import datetime as dt
import uuid
from functools import partial
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import Provide
from litestar.response import Redirect, Template

from stpulse.adapters.xlsx.costs import CalamineCostSheetReader, XlsxCostSheetWriter
from stpulse.application.accounts.actor import Actor
from stpulse.application.costs import cost_book as costs
from stpulse.application.costs import expenses
from stpulse.application.costs.cogs_import import format_errors
from stpulse.application.kernel.uploads import UploadRefused
from stpulse.domain.accounts.users import Permission
from stpulse.domain.kernel.errors import ValidationError
from stpulse.domain.kernel.period import Period
from stpulse.domain.reports.table import format_value
from stpulse.entrypoints.web.auth import deps_of, provide_actor
from stpulse.entrypoints.web.forms import PageNumber, parse_form, save_form
from stpulse.entrypoints.web.render import redirect, render
from stpulse.entrypoints.web.reports.selection import report_request
from stpulse.entrypoints.web.uploads import XLSX, import_upload, read_upload


class MoneyController(Controller):
    path = "/app"
    dependencies = {"actor": Provide(provide_actor)}

    @get("/costs")
    async def costs(self, request: Request, actor: Actor, offer: str = "", q: str = "",
                    page: PageNumber = 1) -> Template:
        return await _costs_page(request, actor, offer, q=q[:100], page=page)

    @post("/costs")
    async def save_cost(self, request: Request, actor: Actor) -> Template | Redirect:
        form, raw = await parse_form(request, costs.CostForm)
        try:
            entry = await costs.save_cost(deps_of(request), actor, form)
        except ValidationError as exc:
            return await _costs_page(request, actor, form.offer_id, errors=exc.fields, form=raw, status=422)
        return redirect(request, f"/app/costs?offer={entry.offer_id}")

    @post("/costs/delete")
    async def delete_cost(self, request: Request, actor: Actor) -> Redirect:
        raw = dict(await request.form())
        try:
            day = dt.date.fromisoformat(str(raw.get("effective_from", "")))
        except ValueError:
            raise ValidationError({"effective_from": "Неверная дата"}) from None
        await costs.delete_cost(deps_of(request), actor, str(raw.get("offer_id", "")), day)
        return redirect(request, f"/app/costs?offer={raw.get('offer_id', '')}")

    @post("/costs/import", opt={"upload": True})
    async def import_costs(self, request: Request, actor: Actor) -> Template:
        try:
            result = await costs.import_cost_file(deps_of(request), actor, await read_upload(request),
                                                  CalamineCostSheetReader())
            problems, imported = format_errors(result), len(result.entries)
        except UploadRefused as exc:
            problems, imported = [exc.message], 0
        return render(request, "costs/costs_import.html", partial="costs/partials/costs_import_result.html",
                      status=422 if problems else 200, actor=actor, errors_list=problems, imported=imported)

    @get("/costs/export.xlsx")
    async def export_costs(self, request: Request, actor: Actor) -> Response[bytes]:
        data = await costs.export_costs(deps_of(request), actor, XlsxCostSheetWriter())
        return Response(content=data, media_type=XLSX, headers={
            "Content-Disposition": 'attachment; filename="costs.xlsx"', "X-Content-Type-Options": "nosniff"})

    @get("/expenses")
    async def expenses(self, request: Request, actor: Actor) -> Template:
        return await _expenses_page(request, actor)

    @post("/expenses")
    async def add_expense(self, request: Request, actor: Actor) -> Template | Redirect:
        return await save_form(request, actor, expenses.ExpenseForm, expenses.add_expense,
                               partial(_expenses_page, request, actor), "/app/expenses")

    @post("/expenses/import", opt={"upload": True})
    async def import_expenses(self, request: Request, actor: Actor) -> Template | Redirect:
        return await import_upload(
            request, lambda data: expenses.import_expenses(deps_of(request), actor, data, CalamineCostSheetReader()),
            partial(_expenses_page, request, actor), "/app/expenses")

    @post("/expenses/{expense_id:uuid}/delete")
    async def delete_expense(self, request: Request, actor: Actor, expense_id: uuid.UUID) -> Redirect:
        await expenses.delete_expense(deps_of(request), actor, expense_id)
        return redirect(request, "/app/expenses")


async def _costs_page(request: Request, actor: Actor, offer: str, status: int = 200, q: str = "", page: int = 1,
                      **extra: Any) -> Template:
    deps = deps_of(request)
    book = await costs.cost_book(deps, actor)
    req, _ = report_request(request)
    listing = await costs.cost_list(deps, actor, q, page)
    if request.headers.get("hx-request") == "true" and request.headers.get("hx-target") == "cost-list":
        return render(request, "costs/partials/cost_list.html", actor=actor, listing=listing, q=q)
    return render(request, "costs/costs.html", status=status, actor=actor, listing=listing, q=q,
                  offer=offer, history=book.history(offer) if offer else (),
                  chart=costs.history_series(book, offer) if offer else None,
                  uncosted=await costs.uncosted_skus(deps, actor, req), req=req, fmt=format_value,
                  can_edit=actor.membership.can(Permission.EDIT_DATA), **extra)


async def _expenses_page(request: Request, actor: Actor, status: int = 200, **extra: Any) -> Template:
    req, _ = report_request(request)
    period = Period.parse(req.month_from, req.month_to)
    records, shops = await expenses.list_expenses(deps_of(request), actor, period.first_day, period.last_day)
    names = {s.id: s.name for s in shops}
    return render(request, "costs/expenses.html", status=status, actor=actor, records=records, shops=shops,
                  names=names, suggested=expenses.SUGGESTED, req=req,
                  can_edit=actor.membership.can(Permission.EDIT_FINANCE), **extra)
