"""The lines behind a row of «Сверка с Ozon»: per month, the accrual days at the month's edges and the realization
totals (realization rows), the cash-flow statement's periods and the payouts by day (payout rows). Only the shops
the member may see are read (`views._selected` over `shop_access.only_visible`)."""

from __future__ import annotations

import datetime as dt

import msgspec

from stpulse.application.accounts.actor import Actor
from stpulse.application.ledger.settlement import AccrualDaySums, CashFlowTotals, DailyPayout
from stpulse.application.reports.deps import ReportsDeps
from stpulse.application.reports.settlement_source import assemble, month_of
from stpulse.application.reports.views import ReportRequest, _selected, _shops, resolve_period
from stpulse.domain.accounts.users import Permission
from stpulse.domain.kernel.errors import NotFound
from stpulse.domain.kernel.period import month_label, month_text
from stpulse.domain.reports import recon as r

PAYOUT_ROWS = frozenset({r.PAID, *r.PAYOUT_CATEGORIES})


class DrillMonth(msgspec.Struct, frozen=True, kw_only=True):
    month: str  # YYYY-MM
    label: str
    value: int | None  # the row's figure in this month
    accrued: int
    realized_delivered: int | None
    realized_returned: int | None
    edge_days: tuple[AccrualDaySums, ...]  # the 1st–2nd of the month and of the next one
    services: int
    compensations: int
    periods: tuple[CashFlowTotals, ...]
    payouts: tuple[DailyPayout, ...]
    paid: int
    statement_paid: int


class ReconDrill(msgspec.Struct, frozen=True, kw_only=True):
    row: str
    title: str
    note: str
    payouts: bool  # which lines explain the row: payout documents, else the realization side
    months: tuple[DrillMonth, ...]
    shop_names: dict[str, str]


async def recon_lines(deps: ReportsDeps, actor: Actor, req: ReportRequest, row: str) -> ReconDrill:
    actor.membership.require(Permission.VIEW)
    if row not in r.LABELS:
        raise NotFound("Такой строки в сверке нет")
    period = resolve_period(deps, req)
    first, last = period.first_day, period.last_day
    async with deps.uow() as uow:
        _, visible = await _shops(uow, actor)
        chosen = _selected(visible, req.shop_ids)
        if not chosen:
            raise NotFound("Магазин не найден")
        ids = [s.id for s in chosen]
        sums = await uow.settlement.day_sums(ids, first, last + dt.timedelta(days=2))
        real = await uow.settlement.realization_totals(ids, first, last)
        flows = await uow.settlement.cash_flow_totals(ids, first, last)
        pays = await uow.settlement.payouts(ids, first, last)
    keys = {sid: i for i, sid in enumerate(sorted(ids), start=1)}
    recs = r.reconcile_months(period.months, assemble(keys, period, sums, real, flows, pays))
    months = []
    for month, rec in zip(period.months, recs, strict=True):
        value = _value(rec, row)
        in_month = [x for x in real if month_of(x.month) == month]
        edges = tuple(s for s in sums if s.day.day <= 2 and month_of(s.day) in (month, month + 1))
        mine = [s for s in sums if month_of(s.day) == month]
        months.append(DrillMonth(
            month=month_text(month), label=month_label(month), value=value, accrued=rec.accrued,
            realized_delivered=sum(x.delivered for x in in_month) if in_month else None,
            realized_returned=sum(x.returned for x in in_month) if in_month else None,
            edge_days=tuple(sorted(edges, key=lambda s: (s.day, str(s.shop_id)))),
            services=sum(s.services for s in mine), compensations=sum(s.compensations for s in mine),
            periods=tuple(sorted((f for f in flows if month_of(f.first_day) == month), key=lambda f: f.first_day)),
            payouts=tuple(p for p in pays if month_of(p.day) == month), paid=rec.paid,
            statement_paid=sum(f.paid for f in flows if month_of(f.first_day) == month)))
    return ReconDrill(row=row, title=r.LABELS[row], note=r.NOTES.get(row, ""), payouts=row in PAYOUT_ROWS,
                      months=tuple(months), shop_names={str(s.id): s.name for s in chosen})


def _value(rec: r.Reconciliation, row: str) -> int | None:
    if row == r.ACCRUED:
        return rec.accrued
    if row == r.REALIZED:
        return rec.realized
    if row == r.PAID:
        return rec.paid
    return rec.categories.get(row)
