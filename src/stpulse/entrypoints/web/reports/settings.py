"""Модели (form and xlsx import) and the highlight thresholds of the account's reports."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import Provide
from litestar.response import Redirect, Template

from stpulse.adapters.xlsx.costs import CalamineCostSheetReader
from stpulse.application.accounts.actor import Actor
from stpulse.application.reports import settings as svc
from stpulse.domain.kernel.errors import ValidationError
from stpulse.entrypoints.web.auth import deps_of, provide_actor
from stpulse.entrypoints.web.forms import PageNumber
from stpulse.entrypoints.web.render import redirect, render
from stpulse.entrypoints.web.uploads import read_upload

PAGE = 50


class ReportSettingsController(Controller):
    path = "/app"
    dependencies = {"actor": Provide(provide_actor)}

    @get("/models")
    async def models(self, request: Request, actor: Actor, q: str = "", page: PageNumber = 1) -> Template:
        return await _models_page(request, actor, q[:100], page)

    @post("/models")
    async def save_model(self, request: Request, actor: Actor) -> Template | Redirect:
        raw = {k: str(v) for k, v in dict(await request.form()).items()}
        try:
            await svc.set_model(deps_of(request), actor, raw.get("offer_id", "")[:200], raw.get("model", "")[:400])
        except ValidationError as exc:
            fields = {("offer_id" if k.startswith("row:") else k): v for k, v in exc.fields.items()}
            return await _models_page(request, actor, "", 1, errors=fields, form=raw, status=422)
        return redirect(request, "/app/models")

    @post("/models/import", opt={"upload": True})
    async def import_models(self, request: Request, actor: Actor) -> Template:
        try:
            imported = await svc.import_models(deps_of(request), actor, await read_upload(request), CalamineCostSheetReader())
            problems: list[str] = []
        except ValidationError as exc:
            problems = list(exc.fields.values()) if exc.fields else [exc.message]
            imported = 0
        return render(request, "reports/models_import.html", partial="reports/partials/models_import_result.html",
                      status=422 if problems else 200, actor=actor, errors_list=problems, imported=imported)

    @get("/report-settings")
    async def thresholds(self, request: Request, actor: Actor) -> Template:
        rows = await svc.thresholds(deps_of(request), actor)
        return render(request, "reports/thresholds.html", actor=actor, rows=rows, saved=request.query_params.get("saved"))

    @post("/report-settings")
    async def save_thresholds(self, request: Request, actor: Actor) -> Template | Redirect:
        raw = {k: str(v) for k, v in dict(await request.form()).items()}
        try:
            await svc.save_thresholds(deps_of(request), actor, raw)
        except ValidationError as exc:
            rows = await svc.thresholds(deps_of(request), actor)
            return render(request, "reports/thresholds.html", status=422, actor=actor, rows=rows, errors=exc.fields,
                          form=raw, saved=None)
        return redirect(request, "/app/report-settings?saved=1")


async def _models_page(request: Request, actor: Actor, q: str, page: int, status: int = 200,
                       **context: Any) -> Template:
    found = await svc.model_list(deps_of(request), actor)
    offers = [(o, n, found.models.get(o, "")) for o, n in found.offers.items()
              if not q or q.lower() in o.lower() or q.lower() in n.lower() or q.lower() in found.models.get(o, "").lower()]
    pages = max(1, -(-len(offers) // PAGE))
    page = min(max(page, 1), pages)
    return render(request, "reports/models.html", status=status, actor=actor, offers=offers[(page - 1) * PAGE:page * PAGE],
                  count=len(offers), page=page, pages=pages, q=q, names=sorted(set(found.models.values())),
                  assigned=len(found.models), **context)
