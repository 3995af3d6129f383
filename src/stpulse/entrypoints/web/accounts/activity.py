"""«Журнал действий»: the team's activity log, filtered by person, kind and dates, paged."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from litestar import Controller, Request, get
from litestar.di import Provide
from litestar.response import Template

from stpulse.application.accounts import activity as svc
from stpulse.application.accounts.actor import Actor
from stpulse.domain.kernel.errors import ValidationError
from stpulse.entrypoints.web.auth import deps_of, provide_actor
from stpulse.entrypoints.web.render import render


def _day(raw: str, field: str, errors: dict[str, str]) -> dt.date | None:
    if not raw.strip():
        return None
    try:
        return dt.date.fromisoformat(raw.strip())
    except ValueError:
        errors[field] = "Дата в формате ГГГГ-ММ-ДД"
        return None


class ActivityController(Controller):
    path = "/app/activity"
    dependencies = {"actor": Provide(provide_actor)}

    @get("/")
    async def index(self, request: Request, actor: Actor, member: str = "", kind: str = "", first: str = "",
                    last: str = "", page: int = 1) -> Template:
        errors: dict[str, str] = {}
        member_id: uuid.UUID | None = None
        if member.strip():
            try:
                member_id = uuid.UUID(member.strip())
            except ValueError:
                errors["member"] = "Выберите участника из списка"
        flt = svc.ActivityFilter(member=member_id, kind=kind.strip(), first=_day(first, "first", errors),
                                 last=_day(last, "last", errors), page=max(1, min(page, 100_000)))
        listing: Any = None
        if not errors:
            try:
                listing = await svc.activity(deps_of(request), actor, flt)
            except ValidationError as exc:
                errors = dict(exc.fields)
        if listing is None:
            listing = await svc.activity(deps_of(request), actor, svc.ActivityFilter())
        query = {"member": member, "kind": kind, "first": first, "last": last}
        return render(request, "accounts/activity.html", partial="accounts/partials/activity_body.html",
                      status=422 if errors else 200, actor=actor, listing=listing, errors=errors, query=query)
