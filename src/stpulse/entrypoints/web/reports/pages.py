"""Every registered report: the page (or its table when HTMX asks), the xlsx export (the drill-down: drill.py).

Generic over the report registry (domain/reports/registry.py): the title, the options, the «Показатели», the
highlights and the notes come from the entry and the table's rows; nothing here knows a report by its code.
"""

from __future__ import annotations

import msgspec
from litestar import Controller, Request, Response, get
from litestar.di import Provide
from litestar.response import Template

from stpulse.adapters.xlsx.reports import XlsxReportWriter
from stpulse.application.accounts.actor import Actor
from stpulse.application.reports import views as svc
from stpulse.application.reports.build import export_report
from stpulse.application.reports.postings import posting_lines
from stpulse.domain.kernel.errors import NotFound
from stpulse.domain.reports.kinds import ReportKind
from stpulse.domain.reports.registry import report_kind
from stpulse.domain.reports.table import Table, format_value
from stpulse.entrypoints.web.auth import deps_of, entitlement_of, provide_actor
from stpulse.entrypoints.web.forms import PageNumber
from stpulse.entrypoints.web.render import render
from stpulse.entrypoints.web.reports.rows import page_of, rows_html
from stpulse.entrypoints.web.reports.selection import (
    corrected,
    month_options,
    report_request,
    selection_query,
)


def sort_of(request: Request, kind: ReportKind) -> tuple[str, bool]:
    """(column, descending) from `?sort=<column>&dir=desc`; only a report with fixed columns (a row per item)."""
    column = request.query_params.get("sort", "")
    if not any(c.code == column for c in kind.columns):
        return "", False
    return column, request.query_params.get("dir") == "desc"


def sorted_rows(table: Table, column: str, descending: bool) -> Table:
    """The plain rows ordered by one column (empty cells last); summary rows (Итого) stay at the end."""
    j = next(i for i, c in enumerate(table.columns) if c.code == column)
    body = [r for r in table.rows if not r.emphasis]
    filled = sorted((r for r in body if r.values[j] is not None), key=lambda r: r.values[j] or 0, reverse=descending)
    rest = [r for r in body if r.values[j] is None] + [r for r in table.rows if r.emphasis]
    return msgspec.structs.replace(table, rows=tuple(filled + rest))


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HIGHLIGHT_CLASSES = {"loss": "text-danger", "warning": "table-warning", "good": "text-success"}  # how a highlight looks, not when


class ReportController(Controller):
    path = "/app/reports"
    dependencies = {"actor": Provide(provide_actor)}

    @get("/{report:str}")
    async def page(self, request: Request, actor: Actor, report: str, page: PageNumber = 1) -> Template:
        kind = report_kind(report)
        req, cookies = report_request(request, kind)
        view = await svc.build_report(deps_of(request), actor, report, req, lenient=True,
                                      entitled=entitlement_of(request), models=True)
        req, cookies = corrected(request, req, cookies, view)
        sort = sort_of(request, kind)
        table = sorted_rows(view.table, *sort) if view.table is not None and sort[0] else view.table
        rows = page_of(table, page) if table is not None else None
        return render(request, "reports/report.html", partial="reports/partials/report_body.html", cookies=cookies,
                      actor=actor, report=kind, view=view, req=req, fmt=format_value, css=HIGHLIGHT_CLASSES, rows=rows,
                      rows_html=rows_html, models=view.models, chosen=_chosen(kind, view), sort=sort, table=table,
                      qs=selection_query(req, view.selected), months=month_options(request, req))

    @get("/{report:str}/postings")
    async def postings(self, request: Request, actor: Actor, report: str, row: str = "", col: str = "",
                       page: PageNumber = 1) -> Template:
        kind = report_kind(report)
        if col not in kind.cell_drill:
            raise NotFound("Этот столбец не раскрывается")
        req, _ = report_request(request, kind)
        found = await posting_lines(deps_of(request), actor, req, row[:100], col, page)
        return render(request, "reports/report_postings.html", partial="reports/partials/report_postings.html",
                      actor=actor, report=kind, found=found, row=row, col=col,
                      qs=selection_query(req, req.shop_ids))

    @get("/{report:str}/export.xlsx")
    async def export(self, request: Request, actor: Actor, report: str) -> Response[bytes]:
        req, _ = report_request(request, report_kind(report))
        view = await svc.build_report(deps_of(request), actor, report, req, lenient=True, export=True,
                                      entitled=entitlement_of(request))
        req, _ = corrected(request, req, [], view)
        if view.table is None:
            raise NotFound("Нет магазинов для отчёта")
        data = await export_report(view.table, XlsxReportWriter())
        name = f"{report}_{req.month_from}_{req.month_to}.xlsx"
        return Response(content=data, media_type=XLSX, headers={
            "Content-Disposition": f'attachment; filename="{name}"', "X-Content-Type-Options": "nosniff"})


def _chosen(kind: ReportKind, view: svc.ReportView) -> tuple[str, ...]:
    """The «Показатели» shown, in the order shown (the table's columns after the user's choice)."""
    if view.table is None or not kind.metrics:
        return ()
    return tuple(c.code for c in view.table.columns)
