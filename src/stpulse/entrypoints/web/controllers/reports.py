"""ОПиУ and Юнитка: the page (or its table when HTMX asks), the xlsx export and the drill-down to accruals."""

from __future__ import annotations

from litestar import Controller, Request, Response, get
from litestar.di import Provide
from litestar.response import Template

from stpulse.adapters.xlsx.reports import XlsxReportWriter
from stpulse.application import report_views as svc
from stpulse.application.deps import Actor
from stpulse.application.reports import export_report
from stpulse.domain.errors import NotFound
from stpulse.entrypoints.web.auth import deps_of, provide_actor
from stpulse.entrypoints.web.render import render
from stpulse.entrypoints.web.report_selection import (
    corrected,
    format_cell,
    month_options,
    report_request,
    selection_query,
)

TITLES = {"pnl": "ОПиУ", "unit": "Юнитка"}
RED_ROWS = {"gross_profit", "gross_margin", "ebitda", "net_profit", "profitability", "roi", "total"}
RED_COLUMNS = {"profit", "profit_per_unit", "margin_pct", "roi_pct"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def is_loss(table_code: str, row_code: str, column_code: str | None, value: int | None) -> bool:
    """Losses in red: negative results (P&L result rows; Юнитка profit columns)."""
    if value is None or value >= 0:
        return False
    return row_code in RED_ROWS if table_code == "pnl" else (column_code in RED_COLUMNS)


class ReportController(Controller):
    path = "/app/reports"
    dependencies = {"actor": Provide(provide_actor)}

    @get("/pnl")
    async def pnl(self, request: Request, actor: Actor) -> Template:
        return await _page(request, actor, "pnl")

    @get("/unit")
    async def unit(self, request: Request, actor: Actor) -> Template:
        return await _page(request, actor, "unit")

    @get("/pnl/export.xlsx")
    async def pnl_xlsx(self, request: Request, actor: Actor) -> Response[bytes]:
        return await _export(request, actor, "pnl")

    @get("/unit/export.xlsx")
    async def unit_xlsx(self, request: Request, actor: Actor) -> Response[bytes]:
        return await _export(request, actor, "unit")

    @get("/pnl/drill")
    async def drill(self, request: Request, actor: Actor, row: str, month: str | None = None,
                    page: int = 1) -> Template:
        req, _ = report_request(request)
        drill = await svc.drill_down(deps_of(request), actor, req, row, month, page)
        return render(request, "app/report_drill.html", partial="partials/report_drill.html", actor=actor,
                      drill=drill, row=row, month=month or "", qs=selection_query(req, req.shop_ids))


async def _page(request: Request, actor: Actor, kind: str) -> Template:
    req, cookies = report_request(request)
    view = await svc.build_report(deps_of(request), actor, kind, req, lenient=True)
    req, cookies = corrected(req, cookies, view)
    return render(request, "app/report.html", partial="partials/report_body.html", cookies=cookies,
                  actor=actor, kind=kind, title=TITLES[kind], view=view, req=req, fmt=format_cell,
                  is_loss=is_loss, drillable=svc.drillable, qs=selection_query(req, view.selected),
                  months=month_options(request, req))


async def _export(request: Request, actor: Actor, kind: str) -> Response[bytes]:
    req, _ = report_request(request)
    view = await svc.build_report(deps_of(request), actor, kind, req, lenient=True)
    req, _ = corrected(req, [], view)
    if view.table is None:
        raise NotFound("Нет магазинов для отчёта")
    data = await export_report(view.table, XlsxReportWriter())
    name = f"{kind}_{req.month_from}_{req.month_to}.xlsx"
    return Response(content=data, media_type=XLSX, headers={
        "Content-Disposition": f'attachment; filename="{name}"', "X-Content-Type-Options": "nosniff"})
