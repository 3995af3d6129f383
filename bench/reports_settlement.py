"""Bench data for «Сверка с Ozon»: the settlement tables of the bench's year, from the same line columns the
rollups come from (bench/reports_data.raw_lines) and the sandbox's payout rules (adapters/sandbox/ozon/settlement.py):
accrual day sums, realization reports per SKU, cash-flow periods and the balance of every day."""

from __future__ import annotations

import datetime as dt
import uuid

import asyncpg
import numpy as np

from stpulse.adapters.sandbox.ozon import settlement as st
from stpulse.adapters.sandbox.ozon.day_table import COMP_COMMISSION, COMP_SALE, COMP_SERVICE
from stpulse.adapters.sandbox.ozon.world import SellerWorld
from stpulse.application.ledger.settlement import (
    CashFlowTotals,
    DailyBalance,
    RealizationHeader,
    RealizationLine,
)
from stpulse.domain.kernel.period import EPOCH
from stpulse.domain.ledger.default_mapping import DEFAULT_TYPE_ARTICLES

_COMPENSATIONS = np.array(sorted(t for t, a in DEFAULT_TYPE_ARTICLES.items() if a == "compensations"))


def _date(n: int) -> dt.date:
    return EPOCH + dt.timedelta(days=int(n))


def _per_day(day: np.ndarray, values: np.ndarray, n: int, first: int) -> np.ndarray:
    out = np.zeros(n, np.int64)
    np.add.at(out, day - first, values)
    return out


def day_sums(lines: dict[str, np.ndarray]) -> tuple[int, np.ndarray]:
    """(first day number, int64 [day, total|delivered|returned|compensations|services])."""
    day, comp, amount = lines["day"].astype(np.int64), lines["comp"], lines["amount"]
    first, n = int(day.min()), int(day.max() - day.min()) + 1
    sale, fee, service = comp == COMP_SALE, comp == COMP_COMMISSION, comp == COMP_SERVICE
    compensation = service & np.isin(lines["type_id"], _COMPENSATIONS)
    cols = [amount, np.where((sale & (amount > 0)) | (fee & (amount < 0)), amount, 0),
            np.where((sale & (amount < 0)) | (fee & (amount > 0)), amount, 0),
            np.where(compensation, amount, 0), np.where(service & ~compensation, amount, 0)]
    return first, np.column_stack([_per_day(day, c, n, first) for c in cols])


def realization(lines: dict[str, np.ndarray], first: dt.date, last: dt.date) -> dict[dt.date, list[RealizationLine]]:
    """Per month the realization rows per SKU, dated by the sandbox's rule (realization_shift)."""
    sale = np.flatnonzero(lines["comp"] == COMP_SALE)
    day, amount = lines["day"][sale].astype(np.int64), lines["amount"][sale]
    fee, sku, qty = lines["amount"][sale + 1], lines["sku"][sale], np.abs(lines["qty"][sale])
    dom = np.array([_date(d).day for d in range(int(day.min()), int(day.max()) + 1)])[day - day.min()]
    shift = np.where(dom == 1, 1, np.where((dom == 2) & (amount < 0), 2, 0))
    real_day = day - shift
    month_of = {d: _date(d).replace(day=1) for d in np.unique(real_day).tolist()}
    out: dict[dt.date, dict[int, list[int]]] = {}
    for d, s, a, f, q in zip(real_day.tolist(), sku.tolist(), amount.tolist(), fee.tolist(), qty.tolist(), strict=True):
        month = month_of[d]
        if not first <= month <= last:
            continue
        row = out.setdefault(month, {}).setdefault(s, [0] * 8)
        k = 0 if a > 0 else 4
        row[k] += q
        row[k + 1] += abs(a)
        row[k + 2] += abs(f)
        row[k + 3] += abs(a) - abs(f)
    return {m: [RealizationLine(row_number=n, sku=s, offer_id=str(s), name="", delivered_qty=v[0],
                                delivered_amount=v[1], delivered_fee=v[2], delivered_total=v[3], returned_qty=v[4],
                                returned_amount=v[5], returned_fee=v[6], returned_total=v[7])
                for n, (s, v) in enumerate(sorted(rows.items()), 1)] for m, rows in out.items()}


async def write_settlement(deps, dsn: str, shop_id: uuid.UUID, world: SellerWorld,  # type: ignore[no-untyped-def]
                           lines: dict[str, np.ndarray], first: dt.date, last: dt.date) -> None:
    start, sums = day_sums(lines)
    st.remember_day_totals(world, {_date(start + i): int(v) for i, v in enumerate(sums[:, 0].tolist())})
    conn = await asyncpg.connect(dsn)
    try:
        await conn.copy_records_to_table("ozon_accrual_day_sums", columns=[
            "shop_id", "day", "total", "delivered", "returned", "compensations", "services"], records=[
            (shop_id, _date(start + i), *map(int, row)) for i, row in enumerate(sums.tolist())])
    finally:
        await conn.close()
    async with deps.uow() as uow:
        for month, rows in sorted(realization(lines, first, last).items()):
            await uow.settlement.save_realization(shop_id, month, RealizationHeader(number="bench", doc_date=""), rows)
        periods = range(st.period_index(first), st.period_index(last) + 1)
        await uow.settlement.save_cash_flow(shop_id, [_period(world, shop_id, q) for q in periods])
        days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
        await uow.settlement.save_balances(shop_id, [_balance(world, shop_id, d) for d in days])
        await uow.commit()


def _period(world: SellerWorld, shop_id: uuid.UUID, q: int) -> CashFlowTotals:
    a, b = st.period_bounds(q)
    return CashFlowTotals(shop_id=shop_id, period_id=st.period_id(q), first_day=a, last_day=b,
                          accrued=st.period_total(world, q), invoice=st.invoice(world, q),
                          paid=sum(p.amount for p in st.payments(world, a, b)), begin_balance=None, end_balance=None)


def _balance(world: SellerWorld, shop_id: uuid.UUID, day: dt.date) -> DailyBalance:
    opening, paid = st.opening_balance(world, day), st.payments(world, day, day)
    accrued = world.day_total(day)
    return DailyBalance(shop_id=shop_id, day=day, opening=opening, accrued=accrued, paid=sum(p.amount for p in paid),
                        closing=opening + accrued - sum(p.amount for p in paid), lines=len(paid))
