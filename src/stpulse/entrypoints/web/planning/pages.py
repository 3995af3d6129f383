"""План: цели — the targets behind the «План» report (form, xlsx import and export)."""

from __future__ import annotations

import io
import uuid
from collections.abc import Sequence
from decimal import Decimal
from functools import partial
from typing import Any

import xlsxwriter
from litestar import Controller, Request, Response, get, post
from litestar.di import Provide
from litestar.response import Redirect, Template

from stpulse.adapters.xlsx.costs import CalamineCostSheetReader
from stpulse.application.accounts.actor import Actor
from stpulse.application.planning import plan_targets as plan
from stpulse.domain.accounts.users import Permission
from stpulse.domain.kernel.period import Period
from stpulse.entrypoints.web.auth import deps_of, provide_actor
from stpulse.entrypoints.web.forms import save_form
from stpulse.entrypoints.web.render import redirect, render
from stpulse.entrypoints.web.reports.selection import report_request
from stpulse.entrypoints.web.uploads import XLSX, RowIssue, import_upload


class PlanController(Controller):
    path = "/app/plan"
    dependencies = {"actor": Provide(provide_actor)}

    @get("/")
    async def targets(self, request: Request, actor: Actor) -> Template:
        return await _page(request, actor)

    @post("/")
    async def save(self, request: Request, actor: Actor) -> Template | Redirect:
        return await save_form(request, actor, plan.PlanForm, plan.save_target, partial(_page, request, actor),
                               "/app/plan")

    @post("/{target_id:uuid}/delete")
    async def delete(self, request: Request, actor: Actor, target_id: uuid.UUID) -> Redirect:
        await plan.delete_target(deps_of(request), actor, target_id)
        return redirect(request, "/app/plan")

    @post("/import", opt={"upload": True})
    async def import_file(self, request: Request, actor: Actor) -> Template | Redirect:
        async def run(data: bytes) -> Sequence[RowIssue]:
            issues, _ = await plan.import_targets(deps_of(request), actor, data, CalamineCostSheetReader())
            return issues

        return await import_upload(request, run, partial(_page, request, actor), "/app/plan")

    @get("/export.xlsx")
    async def export(self, request: Request, actor: Actor) -> Response[bytes]:
        req, _ = report_request(request)
        period = Period.parse(req.month_from, req.month_to)
        records, shops = await plan.list_targets(deps_of(request), actor, period.first_day, period.last_day)
        return Response(content=_xlsx(plan.export_rows(records, shops)), media_type=XLSX, headers={
            "Content-Disposition": 'attachment; filename="plan.xlsx"', "X-Content-Type-Options": "nosniff"})


def _xlsx(rows: list[list[object]]) -> bytes:
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    sheet = book.add_worksheet("План")
    head = book.add_format({"bold": True, "bg_color": "#EEF2F7", "border": 1, "text_wrap": True})
    money, text = book.add_format({"num_format": "#,##0.00"}), book.add_format({"num_format": "@"})
    sheet.write_row(0, 0, plan.HEADERS, head)
    for i, row in enumerate(rows, start=1):
        for j, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, Decimal):
                sheet.write_number(i, j, float(value), money)
            elif isinstance(value, int):
                sheet.write_number(i, j, value)
            else:
                sheet.write_string(i, j, str(value), text)
    sheet.freeze_panes(1, 0)
    sheet.set_column(0, 0, 10)
    sheet.set_column(1, 2, 24)
    sheet.set_column(3, len(plan.HEADERS) - 1, 16)
    book.close()
    return buf.getvalue()


async def _page(request: Request, actor: Actor, status: int = 200, **extra: Any) -> Template:
    req, _ = report_request(request)
    period = Period.parse(req.month_from, req.month_to)
    records, shops = await plan.list_targets(deps_of(request), actor, period.first_day, period.last_day)
    return render(request, "planning/plan_targets.html", status=status, actor=actor, records=records, shops=shops,
                  names={s.id: s.name for s in shops}, req=req, headers=plan.HEADERS,
                  can_edit=actor.membership.can(Permission.EDIT_DATA), **extra)
