"""Ozon's settlement documents in the ledger: the realization report, the cash-flow statement, the balance by day
and the accrual lines' day sums the reconciliation needs. The sync writes them (application/ozon/settlement_sync.py);
the reports and ДДС read them through `SettlementRepository` (as `uow.settlement`).

For ДДС: `payouts(shop_ids, first, last)` — Ozon payouts per shop and day; `balances(shop_ids, first, last)` —
Ozon's balance per shop and date (opening and closing of each day imported).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Protocol

import msgspec


class DailyPayout(msgspec.Struct, frozen=True, kw_only=True):
    """Money Ozon sent to the seller's bank account on one day (kopecks, positive; a debit would be negative)."""

    shop_id: uuid.UUID
    day: dt.date
    amount: int
    lines: int  # payments that day


class DailyBalance(msgspec.Struct, frozen=True, kw_only=True):
    """Ozon's balance of one shop on one day (`/v1/finance/balance` for that day)."""

    shop_id: uuid.UUID
    day: dt.date
    opening: int
    accrued: int
    paid: int
    closing: int
    lines: int = 0  # payments that day
    raw: bytes = b""


class AccrualDaySums(msgspec.Struct, frozen=True, kw_only=True):
    """One day's accrual lines split the way the realization report differs from them."""

    shop_id: uuid.UUID
    day: dt.date
    total: int
    delivered: int  # sale lines > 0 and commission lines < 0
    returned: int  # sale lines < 0 and commission lines > 0
    compensations: int
    services: int


class RealizationTotals(msgspec.Struct, frozen=True, kw_only=True):
    shop_id: uuid.UUID
    month: dt.date
    delivered: int  # Σ delivery_commission.total
    returned: int  # −Σ return_commission.total
    rows: int
    sales: int = 0  # Σ delivery_commission.amount − Σ return_commission.amount (УСН «доходы»)


class CashFlowTotals(msgspec.Struct, frozen=True, kw_only=True):
    shop_id: uuid.UUID
    period_id: int
    first_day: dt.date
    last_day: dt.date
    accrued: int
    invoice: int | None
    paid: int  # −Σ payments of the period
    begin_balance: int | None
    end_balance: int | None
    raw: bytes = b""


class RealizationLine(msgspec.Struct, frozen=True, kw_only=True):
    """A row of the realization report (monthly, or of one day): what was delivered and returned of a SKU."""

    row_number: int
    sku: int
    offer_id: str
    name: str
    delivered_qty: int
    delivered_amount: int
    delivered_fee: int
    delivered_total: int
    returned_qty: int
    returned_amount: int
    returned_fee: int
    returned_total: int
    raw: bytes = b""


class RealizationHeader(msgspec.Struct, frozen=True, kw_only=True):
    number: str
    doc_date: str
    raw: bytes = b""


class SettlementReads(msgspec.Struct, frozen=True, kw_only=True):
    """What the reconciliation reads of a period (`SettlementRepository.period_reads`): one round trip per request."""

    sums: list[AccrualDaySums]
    realization: list[RealizationTotals]
    cash_flows: list[CashFlowTotals]
    payouts: list[DailyPayout]


class SettlementRepository(Protocol):
    # written by the sync
    async def save_realization(self, shop_id: uuid.UUID, month: dt.date, header: RealizationHeader,
                               lines: Sequence[RealizationLine]) -> None: ...
    async def save_realization_day(self, shop_id: uuid.UUID, day: dt.date,
                                   lines: Sequence[RealizationLine]) -> None: ...
    async def save_cash_flow(self, shop_id: uuid.UUID, periods: Sequence[CashFlowTotals]) -> None: ...
    async def save_balances(self, shop_id: uuid.UUID, balances: Sequence[DailyBalance]) -> None: ...
    async def refresh_day_sums(self, shop_id: uuid.UUID, first: dt.date, last: dt.date,
                               compensation_types: Sequence[int]) -> None: ...
    async def realization_months(self, shop_id: uuid.UUID) -> set[dt.date]: ...
    async def balance_days(self, shop_id: uuid.UUID, first: dt.date, last: dt.date) -> set[dt.date]: ...
    # read by the reports and ДДС
    async def payouts(self, shop_ids: Sequence[uuid.UUID], first: dt.date, last: dt.date) -> list[DailyPayout]: ...
    async def balances(self, shop_ids: Sequence[uuid.UUID], first: dt.date,
                       last: dt.date) -> list[DailyBalance]: ...
    async def day_sums(self, shop_ids: Sequence[uuid.UUID], first: dt.date,
                       last: dt.date) -> list[AccrualDaySums]: ...
    async def realization_totals(self, shop_ids: Sequence[uuid.UUID], first: dt.date,
                                 last: dt.date) -> list[RealizationTotals]: ...
    async def cash_flow_totals(self, shop_ids: Sequence[uuid.UUID], first: dt.date,
                               last: dt.date) -> list[CashFlowTotals]: ...
    async def period_reads(self, shop_ids: Sequence[uuid.UUID], first: dt.date, last: dt.date,
                           sums_last: dt.date) -> SettlementReads:
        """`day_sums` up to `sums_last`, then `realization_totals`, `cash_flow_totals` and `payouts` of the period.
        The reconciliation reads of the day sums only each month's total and its first two days: an adapter may
        send the days after the 2nd of a month summed on its 3rd."""
        ...
