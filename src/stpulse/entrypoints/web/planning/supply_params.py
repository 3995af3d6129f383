"""Параметры поставок: the supply parameters per SKU (xlsx import with errors by row, export, the list)."""

from __future__ import annotations

from litestar import Controller, Request, Response, get, post
from litestar.di import Provide
from litestar.response import Template

from stpulse.adapters.xlsx.costs import CalamineCostSheetReader
from stpulse.adapters.xlsx.planning import XlsxParamsSheetWriter
from stpulse.application.accounts.actor import Actor
from stpulse.application.kernel.uploads import UploadRefused
from stpulse.application.planning import params
from stpulse.domain.planning.supply import SupplyParams
from stpulse.entrypoints.web.auth import deps_of, provide_actor
from stpulse.entrypoints.web.forms import PageNumber
from stpulse.entrypoints.web.render import render
from stpulse.entrypoints.web.uploads import XLSX, read_upload, row_errors

PAGE = 50


class SupplyParamsController(Controller):
    path = "/app/planning"
    dependencies = {"actor": Provide(provide_actor)}

    @get("/params")
    async def params_page(self, request: Request, actor: Actor, page: PageNumber = 1) -> Template:
        return await _page(request, actor, page)

    @post("/params/import", opt={"upload": True})
    async def import_params(self, request: Request, actor: Actor) -> Template:
        try:
            result = await params.import_params(deps_of(request), actor, await read_upload(request),
                                                CalamineCostSheetReader())
            problems = row_errors(result.errors)
            saved = result.saved
        except UploadRefused as exc:
            problems, saved = [exc.message], 0
        return await _page(request, actor, 1, errors_list=problems, saved=saved, status=422 if problems else 200)

    @get("/params/export.xlsx")
    async def export_params(self, request: Request, actor: Actor) -> Response[bytes]:
        data = await params.export_params(deps_of(request), actor, XlsxParamsSheetWriter())
        return Response(content=data, media_type=XLSX, headers={
            "Content-Disposition": 'attachment; filename="supply-params.xlsx"', "X-Content-Type-Options": "nosniff"})


async def _page(request: Request, actor: Actor, page: int, *, errors_list: list[str] | None = None,
                saved: int | None = None, status: int = 200) -> Template:
    rows = await params.list_params(deps_of(request), actor)
    pages = max(1, -(-len(rows) // PAGE))
    page = min(max(page, 1), pages)
    return render(request, "planning/params.html", partial="planning/partials/params_result.html", status=status,
                  actor=actor, rows=rows[(page - 1) * PAGE:page * PAGE], count=len(rows),
                  own=sum(1 for r in rows if r[2] is not None), page=page, pages=pages, defaults=SupplyParams(),
                  errors_list=errors_list or [], saved=saved)
