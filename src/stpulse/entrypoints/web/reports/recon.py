"""The lines behind a row of «Сверка с Ozon» (the generic report page links every drillable row to
/app/reports/{code}/drill; this static route answers for the reconciliation, whose lines are Ozon's documents,
not accrual lines)."""

from __future__ import annotations

from litestar import Controller, Request, get
from litestar.di import Provide
from litestar.response import Template

from stpulse.application.accounts.actor import Actor
from stpulse.application.reports.recon_drill import recon_lines
from stpulse.domain.reports.registry import report_kind
from stpulse.entrypoints.web.auth import deps_of, provide_actor
from stpulse.entrypoints.web.render import render
from stpulse.entrypoints.web.reports.selection import report_request, selection_query


class ReconDrillController(Controller):
    path = "/app/reports/recon"
    dependencies = {"actor": Provide(provide_actor)}

    @get("/drill")
    async def drill(self, request: Request, actor: Actor, row: str) -> Template:
        kind = report_kind("recon")
        req, _ = report_request(request, kind)
        drill = await recon_lines(deps_of(request), actor, req, row)
        return render(request, "reports/recon_drill.html", partial="reports/partials/recon_drill.html",
                      actor=actor, report=kind, drill=drill, qs=selection_query(req, req.shop_ids))
