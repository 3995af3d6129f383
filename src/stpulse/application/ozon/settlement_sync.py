"""Sync sources of Ozon's settlement documents (registered in sources.py, after the accruals they are checked
against): the realization report monthly as soon as Ozon publishes it and by day for the last 32 days, the
cash-flow statement with details, the balance day by day (it dates the payouts), then the accrual day sums.

Each writes as it reads, one transaction per month / batch of days with the run's step, so an interrupted run
keeps what it wrote and the next one asks only for what is missing (realization months and balance days already
stored are not asked again; the last few balance days are, Ozon may still complete them)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from stpulse.application.ledger.settlement import (
    CashFlowTotals,
    DailyBalance,
    RealizationHeader,
    RealizationLine,
)
from stpulse.application.ozon.finance_records import CashFlowPeriod, RealizationMovement, RealizationRow
from stpulse.application.ozon.ports import OzonAccessDenied, OzonBadRequest
from stpulse.domain.kernel.moscow import as_moscow
from stpulse.domain.ledger.articles import LedgerMapping

BY_DAY_MAX_AGE_DAYS = 32
BALANCE_BATCH_DAYS = 31
BALANCE_REFRESH_DAYS = 3
_NONE = RealizationMovement(quantity=0, amount=0, bonus=0, commission=0, compensation=0, price_per_instance=0,
                            standard_fee=0, bank_coinvestment=0, stars=0, pick_up_point_coinvestment=0, total=0)


def _month_firsts(first: dt.date, last: dt.date) -> list[dt.date]:
    out, month = [], first.replace(day=1)
    while month <= last:
        out.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return out


def _line(r: RealizationRow) -> RealizationLine:
    d, x = r.delivery or _NONE, r.returned or _NONE
    return RealizationLine(row_number=r.row_number, sku=r.sku, offer_id=r.offer_id[:128], name=r.name[:500],
                           delivered_qty=d.quantity, delivered_amount=d.amount, delivered_fee=d.standard_fee,
                           delivered_total=d.total, returned_qty=x.quantity, returned_amount=x.amount,
                           returned_fee=x.standard_fee, returned_total=x.total, raw=r.raw)


def _not_published(error: OzonBadRequest) -> bool:
    return error.http_status == 404


async def fetch_realization(job: Any) -> None:
    """Every month of the run (and the one before it) whose report is not stored yet, until Ozon says a month's
    report is not ready (404): the next sync asks again."""
    today, run = job.today(), job.run_state
    stored = await job.read(lambda uow: uow.settlement.realization_months(job.shop_id))
    last_closed = today.replace(day=1) - dt.timedelta(days=1)
    start = (run.date_from.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    for month in _month_firsts(start, last_closed):
        if month in stored:
            continue
        try:
            report = await job.api.realization(month.year, month.month)
        except OzonBadRequest as error:
            if _not_published(error):
                return
            raise
        header = RealizationHeader(number=report.number, doc_date=report.doc_date, raw=report.raw_header)
        lines = [_line(r) for r in report.rows]
        await job.save(lambda uow, m=month, h=header, x=lines: uow.settlement.save_realization(job.shop_id, m, h, x),
                       step=f"Отчёт о реализации за {month:%m.%Y}")


async def fetch_realization_days(job: Any) -> None:
    """The days of the run within Ozon's last 32 whose month has no monthly report yet (a preliminary figure),
    written in one transaction (an hourly sync asks for a week of them)."""
    today, run = job.today(), job.run_state
    stored = await job.read(lambda uow: uow.settlement.realization_months(job.shop_id))
    day = max(run.date_from, today - dt.timedelta(days=BY_DAY_MAX_AGE_DAYS - 1))
    found: list[tuple[dt.date, list[RealizationLine]]] = []
    while day <= min(run.date_to, today - dt.timedelta(days=1)):
        if day.replace(day=1) not in stored:
            try:
                rows = await job.api.realization_by_day(day)
            except (OzonAccessDenied, OzonBadRequest):
                break  # by-day needs Premium Plus / Pro: without it the monthly report is the only source
            found.append((day, [_line(r) for r in rows]))
        day += dt.timedelta(days=1)
    if found:
        await job.save(lambda uow: _save_realization_days(uow, job.shop_id, found),
                       step=f"Реализация по {found[-1][0]:%d.%m.%Y}")


async def _save_realization_days(uow: Any, shop_id: uuid.UUID,
                                 found: list[tuple[dt.date, list[RealizationLine]]]) -> None:
    for day, lines in found:
        await uow.settlement.save_realization_day(shop_id, day, lines)


def _period(shop_id: uuid.UUID, p: CashFlowPeriod) -> CashFlowTotals:
    first = as_moscow(p.begin).date() if p.begin else dt.date(p.period_id // 10_000, p.period_id // 100 % 100, 1)
    last = as_moscow(p.end).date() if p.end else first
    accrued = (p.orders_amount + p.returns_amount + p.commission_amount + p.services_amount
               + p.item_delivery_and_return_amount)
    return CashFlowTotals(shop_id=shop_id, period_id=p.period_id, first_day=first, last_day=last, accrued=accrued,
                          invoice=p.invoice_transfer, paid=-sum(p.payments), begin_balance=p.begin_balance,
                          end_balance=p.end_balance, raw=p.raw)


async def fetch_cash_flow(job: Any) -> None:
    run = job.run_state
    first = run.date_from.replace(day=1 if run.date_from.day <= 15 else 16)
    periods = [_period(job.shop_id, p) for p in await job.api.cash_flow(first, run.date_to)]
    await job.save(lambda uow: uow.settlement.save_cash_flow(job.shop_id, periods), step="Финансовый отчёт Ozon")


async def fetch_balances(job: Any) -> None:
    """The balance of every day of the run (today's again each sync), a request a day: its payments are that day's payouts."""
    today, run = job.today(), job.run_state
    last = min(run.date_to, today)
    if last < run.date_from:
        return
    stored = await job.read(lambda uow: uow.settlement.balance_days(job.shop_id, run.date_from, last))
    fresh = today - dt.timedelta(days=BALANCE_REFRESH_DAYS)
    wanted = [run.date_from + dt.timedelta(days=i) for i in range((last - run.date_from).days + 1)]
    wanted = [d for d in wanted if d not in stored or d >= fresh]
    for start in range(0, len(wanted), BALANCE_BATCH_DAYS):
        batch = []
        for day in wanted[start:start + BALANCE_BATCH_DAYS]:
            (report,) = await job.api.balance(day, day)
            batch.append(DailyBalance(shop_id=job.shop_id, day=day, opening=report.opening_balance,
                                      accrued=report.accrued, paid=-sum(report.payments),
                                      closing=report.closing_balance, lines=len(report.payments), raw=report.raw))
        await job.save(lambda uow, b=batch: uow.settlement.save_balances(job.shop_id, b),
                       step=f"Баланс Ozon по {batch[-1].day:%d.%m.%Y}")


def compensation_types(mapping: LedgerMapping) -> list[int]:
    return sorted(t for t, code in mapping.articles.items() if code == "compensations")


async def refresh_day_sums(job: Any) -> None:
    """The day sums of the run's days (± a day: Ozon may date an accrual on a neighbouring day)."""
    run, types = job.run_state, compensation_types(job.mapping)
    first, last = run.date_from - dt.timedelta(days=1), run.date_to + dt.timedelta(days=1)
    await job.save(lambda uow: uow.settlement.refresh_day_sums(job.shop_id, first, last, types),
                   step="Сверка с Ozon")
