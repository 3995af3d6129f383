"""What a finished table's cache key reads beyond the request: the data's fingerprint (one statement on PostgreSQL),
the account's models when the selection groups by them, the stock reports' stamp."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from stpulse.application.accounts.actor import Actor
from stpulse.application.reports.sources import ShopKeys
from stpulse.domain.kernel.period import Period, month_first_day
from stpulse.domain.reports.kinds import Input, ReportKind, Selection
from stpulse.domain.reports.operational import HISTORY_MONTHS


async def data_fingerprint(uow: Any, actor: Actor, kind: ReportKind, period: Period, keys: ShopKeys) -> str | None:
    """The data's fingerprint for the cache key, in one statement on PostgreSQL (which also leaves the shops'
    settlement stamps for `read_settled`): ОПиУ's estimate reads the months before the period too (whichever are
    packed), the operational reports the facts' stamps."""
    first, last, history_from, facts = fingerprint_args(kind, period)
    return await uow.report_data.fingerprint(actor.account_id, [s.id for s in keys.shops], first, last,
                                             packs=not kind.inputs & {Input.STOCK_HISTORY, Input.SUPPLY},
                                             history_from=history_from, facts=facts)


def fingerprint_args(kind: ReportKind, period: Period) -> tuple[dt.date, dt.date, dt.date | None, bool]:
    """What the fingerprint of a report over a period reads: its days, the history's first day (ОПиУ's estimate reads
    the months before the period too), whether the operational facts' stamps."""
    return (period.first_day, period.last_day,
            month_first_day(period.first_month - HISTORY_MONTHS) if Input.ESTIMATE in kind.inputs else None,
            bool(kind.inputs & {Input.ORDERS, Input.RETURNS, Input.STOCK, Input.SALES, Input.ESTIMATE}))


async def models_fingerprint(uow: Any, actor: Actor, selection: Selection) -> str:
    """The account's models as cache-key text when the selection groups by them."""
    if not (selection.model or selection.by_model):
        return ""
    models = await uow.report_settings.models(actor.account_id)
    return "|models:" + hashlib.sha256(repr(sorted(models.items())).encode()).hexdigest()[:32]


async def stock_stamp(uow: Any, actor: Actor, kind: ReportKind, keys: ShopKeys) -> str:
    """A report over the stock history also changes with the snapshots, supplies and parameters."""
    if not kind.inputs & {Input.STOCK_HISTORY, Input.SUPPLY}:
        return ""
    return "|" + await uow.report_data.stock_stamp(actor.account_id, [s.id for s in keys.shops])
