"""A report over the JSON API, answered again after one statement when nothing it depends on has changed.

A cached report still cost four statements in two transactions (the token and its owner, the subscription, the shops,
the data's fingerprint) and most of a web process's CPU per request. Here a repeated request — the same token, report
and query — is checked by one statement (`ReportHits.stamp`): a digest of the token's row, its user, account, members,
shops, the owner's subscription, the tariffs and the account's report settings, beside the report's own data
fingerprint (`adapters/db/reports/fingerprint.py`, the parts the finished-table cache keys on). Equal to the stamp
read *before* the view was built, and before the moment the view's answer may change with time (Moscow midnight, the
subscription's next change), the view is served again; the token's «last used» is written once a minute as the full
path writes it.

Sound by order: the stamp is read before the token is checked and the report built, so a change committed after it
makes the next stamp differ (a miss), and one committed before it is in both. A request this cannot check (no shops
named, a report keyed by more than the fingerprint, a choice to remember) takes the full path every time.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Protocol

import msgspec

from stpulse.application.accounts.api_tokens import TOUCH_EVERY, entitled_actor_for_token
from stpulse.application.kernel.deps import hash_token
from stpulse.application.reports.keys import fingerprint_args
from stpulse.application.reports.views import ReportRequest, ReportView, build_report
from stpulse.domain.kernel.errors import ValidationError
from stpulse.domain.kernel.moscow import as_moscow
from stpulse.domain.kernel.period import Period
from stpulse.domain.reports.kinds import Input
from stpulse.domain.reports.registry import report_kind

_KEYED_BEYOND = frozenset({Input.CASH, Input.STOCK_HISTORY, Input.SUPPLY})  # keys with parts of their own


class HitCheck(msgspec.Struct, frozen=True, kw_only=True):
    """What the stamp statement reads: the token (whose account it is found from) and the report's data."""

    token_hash: str
    shop_ids: tuple[uuid.UUID, ...]  # sorted
    first: dt.date
    last: dt.date
    history_from: dt.date | None
    facts: bool


class HitStamp(msgspec.Struct, frozen=True, kw_only=True):
    text: str  # the digests and stamps; equal texts: nothing a view depends on has changed
    token_used_at: dt.datetime | None  # the token's «last used» (not in `text`: touched once a minute)


class Hit(msgspec.Struct, frozen=True, kw_only=True):
    stamp: str  # `HitStamp.text` read before the view was built
    until: dt.datetime  # from this moment the view may differ with the clock alone
    view: ReportView


class ReportHits(Protocol):
    """This process's views by request, and the statement that checks them (None where it cannot: SQLite, a token
    unknown or revoked, a month of the period not packed)."""

    def get(self, key: tuple[str, ...]) -> Hit | None: ...
    def put(self, key: tuple[str, ...], hit: Hit) -> None: ...
    async def stamp(self, check: HitCheck) -> HitStamp | None: ...
    async def touch(self, token_hash: str, at: dt.datetime, older_than: dt.datetime) -> None:
        """The token's «last used» := `at` if it is older than `older_than` (and no other request is writing it)."""
        ...


def hit_check(raw_token: str, code: str, req: ReportRequest) -> HitCheck | None:
    """The check of a request this module can serve again, else None."""
    kind = report_kind(code)
    if not req.shop_ids or req.remember or kind.inputs & _KEYED_BEYOND:
        return None
    try:
        period = Period.parse(req.month_from, req.month_to)  # the API's period, as `build_report` reads it
    except ValidationError:
        return None
    first, last, history_from, facts = fingerprint_args(kind, period)
    return HitCheck(token_hash=hash_token(raw_token), shop_ids=tuple(sorted(req.shop_ids)), first=first, last=last,
                    history_from=history_from, facts=facts)


async def api_report(deps: Any, raw_token: str, code: str, req: ReportRequest) -> ReportView:
    """The report for a token's owner (`entitled_actor_for_token`, then `build_report`), or the view this process
    built for the same token, report and request when the stamp says nothing it depends on has changed."""
    hits: ReportHits | None = deps.report_hits
    now = deps.clock.now()  # before anything is read: a view built across midnight ends at the first one
    check = hit_check(raw_token, code, req) if hits is not None else None
    stamp = await hits.stamp(check) if hits is not None and check is not None else None
    key = (check.token_hash if check else "", code, msgspec.json.encode(req).decode())
    if hits is not None and check is not None and stamp is not None:
        hit = hits.get(key)
        if hit is not None and hit.stamp == stamp.text and now < hit.until:
            if stamp.token_used_at is None or now - stamp.token_used_at >= TOUCH_EVERY:
                await hits.touch(check.token_hash, now, now - TOUCH_EVERY)  # as the full path does, once a minute
            return hit.view
    actor, entitled = await entitled_actor_for_token(deps, raw_token)
    view = await build_report(deps, actor, code, req, entitled=entitled)
    if hits is not None and check is not None and stamp is not None and view.table is not None:
        ends = [_next_midnight(now)] + ([entitled.until] if entitled.until is not None else [])
        hits.put(key, Hit(stamp=stamp.text, view=view, until=min(ends)))
    return view


def _next_midnight(now: dt.datetime) -> dt.datetime:
    """Moscow's next midnight: «yesterday», the history the tariff opens and the default period move then."""
    moscow = as_moscow(now)
    return dt.datetime.combine(moscow.date() + dt.timedelta(days=1), dt.time(0), tzinfo=moscow.tzinfo)
