"""The drill-down behind a report row: subtotals by type and by product, filters, the lines on demand, the xlsx.

The query names the filter (`sku`, `posting`, `type`, `day_from`, `day_to`, `view=lines`); a value that does not
parse comes back as a Russian error next to its field (422), the way refused forms do.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from litestar import Controller, Request, Response, get
from litestar.di import Provide
from litestar.response import Template

from stpulse.adapters.xlsx.drill import XlsxLineSheetWriter
from stpulse.application.accounts.actor import Actor
from stpulse.application.reports import drill as svc
from stpulse.domain.kernel.errors import ValidationError
from stpulse.domain.kernel.period import parse_day
from stpulse.domain.reports.drill import DrillFilter, DrillView
from stpulse.domain.reports.registry import report_kind
from stpulse.entrypoints.web.auth import deps_of, provide_actor
from stpulse.entrypoints.web.forms import PageNumber
from stpulse.entrypoints.web.render import render
from stpulse.entrypoints.web.reports.selection import report_request, selection_query

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FIELDS = ("sku", "posting", "type", "day_from", "day_to")


def _whole(raw: str, field: str, errors: dict[str, str]) -> int | None:
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 18:
        errors[field] = "Введите число без пробелов и букв"
        return None
    return int(raw)


def _day(raw: str, field: str, errors: dict[str, str]) -> dt.date | None:
    day = parse_day(raw) if raw else None
    if raw and day is None:
        errors[field] = "Дата в формате ДД.ММ.ГГГГ"
    return day


def drill_filter(request: Request) -> tuple[DrillFilter, dict[str, str], dict[str, str]]:
    """(the filter, the raw values to show back in the form, errors by field)."""
    q = request.query_params
    raw = {k: (q.get(k) or "").strip()[:64] for k in FIELDS}
    errors: dict[str, str] = {}
    filt = DrillFilter(view=DrillView.LINES if q.get("view") == "lines" else DrillView.GROUPS,
                       sku=_whole(raw["sku"], "sku", errors), posting=raw["posting"],
                       type_id=_whole(raw["type"], "type", errors),
                       day_from=_day(raw["day_from"], "day_from", errors), day_to=_day(raw["day_to"], "day_to", errors))
    return filt, raw, errors


class DrillController(Controller):
    path = "/app/reports"
    dependencies = {"actor": Provide(provide_actor)}

    @get("/{report:str}/drill")
    async def drill(self, request: Request, actor: Actor, report: str, row: str, month: str | None = None,
                    page: PageNumber = 1) -> Template:
        kind = report_kind(report)
        req, _ = report_request(request, kind)
        filt, raw, errors = drill_filter(request)
        context: dict[str, Any] = {"actor": actor, "report": kind, "row": row, "month": month or "", "form": raw,
                                   "qs": selection_query(req, req.shop_ids)}
        status, drill = 200, None
        try:
            if errors:
                raise ValidationError(errors)
            drill = await svc.drill_down(deps_of(request), actor, report, req, row, month, page, filt)
        except ValidationError as exc:
            status, errors = 422, exc.fields or {"day_to": exc.message}
        return render(request, "reports/report_drill.html", partial="reports/partials/report_drill.html",
                      status=status, drill=drill, view=filt.view.value, **context, errors=errors)

    @get("/{report:str}/drill.xlsx")
    async def export(self, request: Request, actor: Actor, report: str, row: str,
                     month: str | None = None) -> Response[bytes]:
        req, _ = report_request(request, report_kind(report))
        filt, _, errors = drill_filter(request)
        if errors:
            raise ValidationError(errors)
        data = await svc.export_drill(deps_of(request), actor, report, req, row, month, filt, XlsxLineSheetWriter())
        name = f"{report}_{row.replace(':', '_')}_{month or req.month_from + '_' + req.month_to}.xlsx"
        return Response(content=data, media_type=XLSX, headers={
            "Content-Disposition": f'attachment; filename="{name}"', "X-Content-Type-Options": "nosniff"})
