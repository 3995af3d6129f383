"""The reconciliation's inputs per shop and month, read from the ledger's settlement tables
(application/ledger/settlement.py): accrual day sums, realization totals, cash-flow periods and dated payouts.

Read once per report request: every report's badge («Сверено с Ozon») and the «Сверка с Ozon» table itself use
the same months, and their digest is the reconciliation's part of the cache key."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

import msgspec

from stpulse.application.ledger.settlement import (
    AccrualDaySums,
    CashFlowTotals,
    DailyPayout,
    RealizationTotals,
    SettlementRepository,
)
from stpulse.domain.kernel.period import Period
from stpulse.domain.reports.recon import gap
from stpulse.domain.reports.settlement import SettlementMonth


def month_of(day: dt.date) -> int:
    """The day's month number since 1970-01 (kernel.period's numbering), without formatting and parsing text."""
    return (day.year - 1970) * 12 + day.month - 1


class Settled(msgspec.Struct, frozen=True, kw_only=True):
    """The period's settlement months of the chosen shops (shop = the report's shop key)."""

    months: tuple[SettlementMonth, ...]
    imported: bool  # any settlement document stored for these shops and months

    def digest(self) -> str:
        return hashlib.sha256(msgspec.msgpack.encode(self.months)).hexdigest()[:24]

    def gap(self, months: tuple[int, ...]) -> int | None:
        return gap(months, self.months) if self.imported else None


async def read_settled(repo: SettlementRepository, shops: Mapping[uuid.UUID, int], period: Period) -> Settled:
    ids = list(shops)
    first, last = period.first_day, period.last_day
    reads = await repo.period_reads(ids, first, last, sums_last=last + dt.timedelta(days=2))
    months = assemble(shops, period, reads.sums, reads.realization, reads.cash_flows, reads.payouts)
    return Settled(months=months, imported=bool(reads.realization or reads.cash_flows or reads.payouts))


def assemble(shops: Mapping[uuid.UUID, int], period: Period, sums: Sequence[AccrualDaySums],
             real: Sequence[RealizationTotals], flows: Sequence[CashFlowTotals],
             pays: Sequence[DailyPayout]) -> tuple[SettlementMonth, ...]:
    acc: dict[tuple[int, int], dict[str, Any]] = {
        (k, m): {} for k in sorted(shops.values()) for m in period.months}
    for s in sums:
        _add_sums(acc, shops[s.shop_id], s)
    for r in real:
        cell = acc.get((shops[r.shop_id], month_of(r.month)))
        if cell is not None:
            cell["realized_delivered"], cell["realized_returned"] = r.delivered, r.returned
            cell["realized_sales"] = r.sales
    for f in flows:
        _add_flow(acc.get((shops[f.shop_id], month_of(f.first_day))), f)
    for p in pays:
        cell = acc.get((shops[p.shop_id], month_of(p.day)))
        if cell is not None:
            cell["paid"] = cell.get("paid", 0) + p.amount
    return tuple(SettlementMonth(shop_id=k, month=m, **v) for (k, m), v in acc.items())


def _add_sums(acc: dict[tuple[int, int], dict[str, Any]], key: int, s: AccrualDaySums) -> None:
    month = month_of(s.day)
    cell = acc.get((key, month))
    if cell is not None:
        for name in ("delivered", "returned", "compensations", "services"):
            cell[name] = cell.get(name, 0) + getattr(s, name)
        cell["accrued"] = cell.get("accrued", 0) + s.total
        if s.day.day == 1:
            cell["delivered_first"] = s.delivered
        if s.day.day <= 2:
            cell["returned_early"] = cell.get("returned_early", 0) + s.returned
    before = acc.get((key, month - 1))  # the first days of a month explain the month before
    if before is not None:
        if s.day.day == 1:
            before["delivered_first_next"] = s.delivered
        if s.day.day <= 2:
            before["returned_early_next"] = before.get("returned_early_next", 0) + s.returned


def _add_flow(cell: dict[str, Any] | None, f: CashFlowTotals) -> None:
    if cell is None:
        return
    invoice = f.invoice if f.invoice is not None else f.accrued
    cell["statement_accrued"] = cell.get("statement_accrued", 0) + f.accrued
    cell["statement_invoice"] = cell.get("statement_invoice", 0) + invoice
    held = f.accrued - invoice
    cell["statement_holds"] = cell.get("statement_holds", 0) + max(held, 0)
    cell["statement_releases"] = cell.get("statement_releases", 0) + min(held, 0)
    cell["statement_paid"] = cell.get("statement_paid", 0) + f.paid


class PreloadedSettlement:
    """The SettlementReader port (application/reports/ports.py) over the months already read for the request."""

    def __init__(self, settled: Settled) -> None:
        self.settled = settled

    async def settlement_months(self, shop_ids: Sequence[int], period: Period) -> tuple[SettlementMonth, ...]:
        wanted = set(shop_ids)
        return tuple(m for m in self.settled.months if m.shop_id in wanted and m.month in period.months)

    async def monthly_payouts(self, shop_ids: Sequence[int], period: Period) -> Mapping[tuple[int, int], int]:
        return {(m.shop_id, m.month): m.paid for m in await self.settlement_months(shop_ids, period)}
