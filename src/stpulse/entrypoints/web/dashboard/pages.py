"""The dashboard on the cabinet's home: tiles (HTML), the charts' numbers (JSON for the chart library, and the same
numbers as tables under each chart), for the shop selection the reports share (the `stp_shops` cookie)."""

from __future__ import annotations

import datetime as dt
import uuid

from litestar import Controller, Request, Response, get
from litestar.di import Provide
from litestar.response import Template

from stpulse.application.accounts.actor import Actor
from stpulse.application.dashboard import charts as chart_svc
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


def shops_qs(shops: tuple[uuid.UUID, ...]) -> str:
    """The shop selection as query parameters for the charts' own requests (the switch, charts.json)."""
    return "".join(f"&shops={s}" for s in shops)


class DashboardController(Controller):
    path = "/app/dashboard"
    dependencies = {"actor": Provide(provide_actor)}

    @get("/")
    async def index(self, request: Request, actor: Actor) -> Template:
        req, _ = report_request(request)
        deps = deps_of(request)
        board, charts = await svc.overview(deps, actor, req.shop_ids)
        return render(request, "dashboard/dashboard.html", partial="dashboard/partials/dashboard.html", actor=actor,
                      board=board, charts=charts, views=chart_svc.VIEWS, fmt=format_value,
                      change_text=change_text, shops_qs=shops_qs(board.selected),
                      month_codes=",".join(c.code for c in charts if not c.view))

    @get("/charts.json")
    async def charts_json(self, request: Request, actor: Actor, view: str = "month", chart: str = "") -> Response:
        """The charts' numbers; `view` (day | week | month) is the span of «Выручка, прибыль и заказы», `chart`
        (codes, comma-separated) asks for those charts only (the switch redraws just its own)."""
        req, _ = report_request(request)
        only = tuple(c for c in chart.split(",") if c)
        items = await chart_svc.charts(deps_of(request), actor, req.shop_ids, view=view, only=only)
        return Response(content=chart_svc.chart_json(items), headers={"cache-control": "no-store"})

    @get("/charts/{chart:str}")
    async def chart_card(self, request: Request, actor: Actor, chart: str, view: str = "month") -> Template:
        """One chart's card (its table with the numbers; the browser then draws it from charts.json): the switch."""
        req, _ = report_request(request)
        items = await chart_svc.charts(deps_of(request), actor, req.shop_ids, view=view, only=(chart,))
        return render(request, "dashboard/partials/chart.html", actor=actor, chart=items[0] if items else None,
                      views=chart_svc.VIEWS, fmt=format_value, shops_qs=shops_qs(req.shop_ids))

    @get("/forecast")
    async def forecast(self, request: Request, actor: Actor, day: str) -> Template:
        """The month's forecast as it read on `day` (ГГГГ-ММ-ДД), beside the month's actual."""
        req, _ = report_request(request)
        tile = await svc.forecast_as_of(deps_of(request), actor, dt.date.fromisoformat(day), req.shop_ids)
        return render(request, "dashboard/forecast.html", actor=actor, tile=tile, fmt=format_value,
                      change_text=change_text)
