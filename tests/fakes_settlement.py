"""In-memory `SettlementRepository` (application/ledger/settlement.py): Ozon's settlement documents by key."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from stpulse.application.ledger.settlement import (
    AccrualDaySums,
    CashFlowTotals,
    DailyBalance,
    DailyPayout,
    RealizationHeader,
    RealizationLine,
    RealizationTotals,
    SettlementReads,
)


class FakeSettlement:
    def __init__(self, store: Any) -> None:
        self.d: dict[str, dict] = store.__dict__.setdefault("settlement", {
            "realization": {}, "days": {}, "cash_flow": {}, "balances": {}, "sums": {}})

    async def save_realization(self, shop_id: uuid.UUID, month: dt.date, header: RealizationHeader,
                               lines: Sequence[RealizationLine]) -> None:
        self.d["realization"][(shop_id, month)] = RealizationTotals(
            shop_id=shop_id, month=month, delivered=sum(x.delivered_total for x in lines),
            returned=-sum(x.returned_total for x in lines), rows=len(lines),
            sales=sum(x.delivered_amount - x.returned_amount for x in lines))

    async def save_realization_day(self, shop_id: uuid.UUID, day: dt.date, lines: Sequence[RealizationLine]) -> None:
        self.d["days"][(shop_id, day)] = list(lines)

    async def save_cash_flow(self, shop_id: uuid.UUID, periods: Sequence[CashFlowTotals]) -> None:
        self.d["cash_flow"].update({(shop_id, p.period_id): p for p in periods})

    async def save_balances(self, shop_id: uuid.UUID, balances: Sequence[DailyBalance]) -> None:
        self.d["balances"].update({(shop_id, b.day): b for b in balances})

    async def refresh_day_sums(self, shop_id: uuid.UUID, first: dt.date, last: dt.date,
                               compensation_types: Sequence[int]) -> None:
        return None  # the fakes keep no accrual lines by day to sum

    async def realization_months(self, shop_id: uuid.UUID) -> set[dt.date]:
        return {m for s, m in self.d["realization"] if s == shop_id}

    async def balance_days(self, shop_id: uuid.UUID, first: dt.date, last: dt.date) -> set[dt.date]:
        return {d for s, d in self.d["balances"] if s == shop_id and first <= d <= last}

    async def payouts(self, shop_ids: Sequence[uuid.UUID], first: dt.date, last: dt.date) -> list[DailyPayout]:
        return [DailyPayout(shop_id=b.shop_id, day=b.day, amount=b.paid, lines=b.lines)
                for b in await self.balances(shop_ids, first, last) if b.lines]

    async def balances(self, shop_ids: Sequence[uuid.UUID], first: dt.date, last: dt.date) -> list[DailyBalance]:
        return [b for (s, d), b in sorted(self.d["balances"].items(), key=lambda kv: (str(kv[0][0]), kv[0][1]))
                if s in shop_ids and first <= d <= last]

    async def day_sums(self, shop_ids: Sequence[uuid.UUID], first: dt.date, last: dt.date) -> list[AccrualDaySums]:
        return [x for (s, d), x in self.d["sums"].items() if s in shop_ids and first <= d <= last]

    async def realization_totals(self, shop_ids: Sequence[uuid.UUID], first: dt.date,
                                 last: dt.date) -> list[RealizationTotals]:
        return [x for (s, m), x in self.d["realization"].items() if s in shop_ids and first <= m <= last]

    async def cash_flow_totals(self, shop_ids: Sequence[uuid.UUID], first: dt.date,
                               last: dt.date) -> list[CashFlowTotals]:
        return [x for (s, _), x in self.d["cash_flow"].items() if s in shop_ids and first <= x.first_day <= last]

    async def period_reads(self, shop_ids: Sequence[uuid.UUID], first: dt.date, last: dt.date,
                           sums_last: dt.date) -> SettlementReads:
        return SettlementReads(sums=await self.day_sums(shop_ids, first, sums_last),
                               realization=await self.realization_totals(shop_ids, first, last),
                               cash_flows=await self.cash_flow_totals(shop_ids, first, last),
                               payouts=await self.payouts(shop_ids, first, last))
