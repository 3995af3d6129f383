"""The dashboard on the cabinet's home: tiles (HTML), the charts' numbers (JSON for the chart library, and the same
numbers as tables under each chart), for the shop selection the reports share (the `stp_shops` cookie)."""

from __future__ import annotations

import datetime as dt

from litestar import Controller, Request, Response, get
from litestar.di import Provide
from litestar.response import Template

from stpulse.application.accounts.actor import Actor
from stpulse.application.dashboard import home as svc
from stpulse.domain.reports.table import format_value
from stpulse.entrypoints.web.auth import deps_of, provide_actor
from stpulse.entrypoints.web.render import render
from stpulse.entrypoints.web.reports.selection import report_request


def change_text(bp: int | None, percent: bool) -> str:
    if bp is None:
        return ""
    sign = "+" if bp > 0 else "−" if bp < 0 else "±"
    value = f"{abs(bp) / 100:.1f}".replace(".", ",")
    return f"{sign}{value} {'п. п.' if percent else '%'}"


class DashboardController(Controller):
    path = "/app/dashboard"
    dependencies = {"actor": Provide(provide_actor)}

    @get("/")
    async def index(self, request: Request, actor: Actor) -> Template:
        req, _ = report_request(request)
        deps = deps_of(request)
        board, charts = await svc.overview(deps, actor, req.shop_ids)
        return render(request, "dashboard/dashboard.html", partial="dashboard/partials/dashboard.html", actor=actor,
                      board=board, charts=charts, fmt=format_value, change_text=change_text)

    @get("/charts.json")
    async def charts_json(self, request: Request, actor: Actor) -> Response:
        req, _ = report_request(request)
        items = await svc.charts(deps_of(request), actor, req.shop_ids)
        return Response(content=svc.chart_json(items), headers={"cache-control": "no-store"})

    @get("/forecast")
    async def forecast(self, request: Request, actor: Actor, day: str) -> Template:
        """The month's forecast as it read on `day` (ГГГГ-ММ-ДД), beside the month's actual."""
        req, _ = report_request(request)
        tile = await svc.forecast_as_of(deps_of(request), actor, dt.date.fromisoformat(day), req.shop_ids)
        return render(request, "dashboard/forecast.html", actor=actor, tile=tile, fmt=format_value,
                      change_text=change_text)
