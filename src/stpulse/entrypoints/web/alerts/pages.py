"""«Уведомления»: the notification centre (unread marks, mark read), the unread badge of the menu and the rules
(thresholds for the account, the channel per rule for oneself)."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import Provide
from litestar.response import Redirect, Template

from stpulse.application.accounts.actor import Actor
from stpulse.application.alerts import centre as svc
from stpulse.domain.accounts.users import Permission
from stpulse.domain.alerts.rules import Channel
from stpulse.domain.kernel.errors import ValidationError
from stpulse.entrypoints.web.auth import deps_of, provide_actor
from stpulse.entrypoints.web.forms import PageNumber, form_dict, parse_form
from stpulse.entrypoints.web.render import redirect, render


class AlertsController(Controller):
    path = "/app/alerts"
    dependencies = {"actor": Provide(provide_actor)}

    @get("/")
    async def index(self, request: Request, actor: Actor, page: PageNumber = 1) -> Template:
        return await self._centre(request, actor, page)

    async def _centre(self, request: Request, actor: Actor, page: int = 1) -> Template:
        listing = await svc.centre(deps_of(request), actor, page)
        return render(request, "alerts/centre.html", partial="alerts/partials/centre_body.html", actor=actor,
                      listing=listing)

    @get("/badge")
    async def badge(self, request: Request, actor: Actor) -> Template:
        return render(request, "alerts/partials/badge.html", unread=await svc.unread_count(deps_of(request), actor))

    @post("/read")
    async def read(self, request: Request, actor: Actor) -> Template | Redirect:
        raw = await form_dict(request)
        wanted = raw.get("alert_id")
        ids: list[uuid.UUID] | None = None
        if wanted:
            try:
                ids = [uuid.UUID(str(wanted))]
            except ValueError:
                ids = []
        await svc.mark_read(deps_of(request), actor, ids)
        if request.headers.get("hx-request") == "true":
            return await self._centre(request, actor)
        return redirect(request, "/app/alerts")

    @get("/rules")
    async def rules(self, request: Request, actor: Actor) -> Template:
        return await self._rules(request, actor)

    async def _rules(self, request: Request, actor: Actor, status: int = 200, **extra: Any) -> Template:
        rows = await svc.rule_rows(deps_of(request), actor)
        return render(request, "alerts/rules.html", partial="alerts/partials/rules_body.html", status=status,
                      actor=actor, rows=rows, channels=list(Channel), can_edit=actor.membership.can(Permission.EDIT_DATA),
                      **extra)

    @post("/rules/{rule:str}")
    async def save(self, request: Request, actor: Actor, rule: str) -> Template:
        code = rule  # a rule's code (not an object of the account)
        form, raw = await parse_form(request, svc.RuleForm)
        try:
            row = await svc.save_rule(deps_of(request), actor, code, form)
        except ValidationError as exc:
            return await self._rules(request, actor, status=422, errors={code: exc.fields}, failed=code, form=raw)
        return await self._rules(request, actor, saved=row.rule.title)
