"""Team: members, roles, per-shop access and invitations."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import Provide
from litestar.response import Redirect, Template

from stpulse.application.accounts import teams
from stpulse.application.accounts.actor import Actor
from stpulse.application.accounts.shop_access import visible_shops
from stpulse.application.billing.policy import closed_feature
from stpulse.domain.accounts.users import ROLE_LABELS, Permission, Role
from stpulse.domain.billing.tariffs import FEATURE_MULTI_USER
from stpulse.domain.kernel.errors import DomainError, ValidationError
from stpulse.entrypoints.web.auth import deps_of, provide_actor
from stpulse.entrypoints.web.forms import form_dict, parse_uuid_list
from stpulse.entrypoints.web.render import redirect, render

INVITABLE = [(r.value, ROLE_LABELS[r]) for r in Role if r is not Role.OWNER]


class TeamController(Controller):
    path = "/app/team"
    dependencies = {"actor": Provide(provide_actor)}

    async def _page(self, request: Request, actor: Actor, status: int = 200, **extra: Any) -> Template:
        deps = deps_of(request)
        team = await teams.list_team(deps, actor)
        async with deps.uow() as uow:
            shops = await visible_shops(uow, actor)
        return render(request, "accounts/team.html", partial="accounts/partials/team_body.html", status=status, actor=actor,
                      team=team, shops=shops, roles=INVITABLE, role_labels=ROLE_LABELS,
                      can_manage=actor.membership.can(Permission.MANAGE_TEAM),
                      closed=await closed_feature(deps, actor.account_id, FEATURE_MULTI_USER), **extra)

    @get("/")
    async def index(self, request: Request, actor: Actor) -> Template:
        return await self._page(request, actor)

    @post("/invite")
    async def invite(self, request: Request, actor: Actor) -> Template:
        raw = await form_dict(request)
        try:
            cmd = teams.Invite(email=str(raw.get("email", "")), role=str(raw.get("role", "")),
                               shop_ids=parse_uuid_list(raw.get("shop_ids")))
            invitation = await teams.invite_member(deps_of(request), actor, cmd)
        except ValidationError as exc:
            return await self._page(request, actor, status=422, errors=exc.fields, form=raw)
        except DomainError as exc:
            return await self._page(request, actor, status=exc.status, errors={"form": exc.message}, form=raw)
        return await self._page(request, actor, invited=invitation.email)

    @post("/members/{membership_id:uuid}")
    async def change(self, request: Request, actor: Actor, membership_id: uuid.UUID) -> Template:
        raw = await form_dict(request)
        await teams.change_member(deps_of(request), actor, membership_id, str(raw.get("role", "")),
                                  parse_uuid_list(raw.get("shop_ids")))
        return await self._page(request, actor)

    @post("/members/{membership_id:uuid}/remove")
    async def remove(self, request: Request, actor: Actor, membership_id: uuid.UUID) -> Redirect:
        await teams.remove_member(deps_of(request), actor, membership_id)
        return redirect(request, "/app/team")

    @post("/invitations/{invitation_id:uuid}/revoke")
    async def revoke(self, request: Request, actor: Actor, invitation_id: uuid.UUID) -> Redirect:
        await teams.revoke_invitation(deps_of(request), actor, invitation_id)
        return redirect(request, "/app/team")
