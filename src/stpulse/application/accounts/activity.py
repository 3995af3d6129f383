"""The team activity log: who did what and when in the account, filtered by person, kind and Moscow dates.

Every member sees the log of the account they act in (and only that one: the query is always by the actor's
account); entries are written by the use cases themselves (`uow.audit.record(..., account_id=...)`)."""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec

from stpulse.application.accounts.actor import Actor
from stpulse.application.accounts.deps import AccountsDeps
from stpulse.application.kernel.ports import AuditQuery
from stpulse.domain.accounts.activity import ActivityKind, actions_of, kind_of, label_of
from stpulse.domain.accounts.users import Permission
from stpulse.domain.kernel.errors import ValidationError
from stpulse.domain.kernel.moscow import MSK

PAGE_SIZE = 50


class ActivityFilter(msgspec.Struct, frozen=True, kw_only=True):
    member: uuid.UUID | None = None  # the user who acted
    kind: str = ""
    first: dt.date | None = None  # Moscow days, both included
    last: dt.date | None = None
    page: int = 1


class ActivityLine(msgspec.Struct, frozen=True, kw_only=True):
    at: dt.datetime
    who: str  # the member's name and e-mail; «Система» for payments and jobs
    kind: ActivityKind
    action: str
    label: str
    what: str


class ActivityPage(msgspec.Struct, frozen=True, kw_only=True):
    lines: list[ActivityLine]
    total: int
    page: int
    pages: int
    members: list[tuple[uuid.UUID, str]]  # for the person filter
    kinds: list[ActivityKind]


def _start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), MSK)


async def activity(deps: AccountsDeps, actor: Actor, flt: ActivityFilter) -> ActivityPage:
    actor.membership.require(Permission.VIEW)
    kind: ActivityKind | None = None
    if flt.kind:
        try:
            kind = ActivityKind(flt.kind)
        except ValueError:
            raise ValidationError({"kind": "Выберите вид действия из списка"}) from None
    if flt.first and flt.last and flt.first > flt.last:
        raise ValidationError({"first": "Начало периода позже его конца"})
    page = max(flt.page, 1)
    query = AuditQuery(account_id=actor.account_id, actor_id=flt.member,
                       actions=actions_of(kind) if kind else (),
                       since=_start(flt.first) if flt.first else None,
                       until=_start(flt.last + dt.timedelta(days=1)) if flt.last else None,
                       offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    async with deps.uow() as uow:
        entries, total = await uow.audit.for_account(query)
        names: dict[uuid.UUID, str] = {}
        for membership in await uow.memberships.for_account(actor.account_id):
            user = await uow.users.get(membership.user_id)
            if user:
                names[user.id] = f"{user.full_name} ({user.email})" if user.full_name else user.email
        for entry in entries:
            if entry.actor_id and entry.actor_id not in names:  # a member who has left since
                user = await uow.users.get(entry.actor_id)
                names[entry.actor_id] = user.email if user else "Бывший участник"
    lines = [ActivityLine(at=e.at, who=names.get(e.actor_id, "") if e.actor_id else "Система", kind=kind_of(e.action),
                          action=e.action, label=label_of(e.action), what=e.reason or e.subject) for e in entries]
    members = sorted(((uid, name) for uid, name in names.items()), key=lambda p: p[1].lower())
    return ActivityPage(lines=lines, total=total, page=page, pages=max(1, -(-total // PAGE_SIZE)), members=members,
                        kinds=[k for k in ActivityKind if k is not ActivityKind.OTHER])
