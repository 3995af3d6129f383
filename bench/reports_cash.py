"""bench/reports.py's ДДС data (the computed figure of every report is bench/reports_computed.py's).

`write_cash_entries`: the user's side of the ДДС for the bench's account — a bank account that receives Ozon's
payouts and a cash box with opening balances, the usual categories and `per_month` receipts and payments a month
(deterministic), written with COPY as the import would leave them.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid

import asyncpg
import numpy as np

from stpulse.domain.cash.book import DEFAULT_CATEGORIES

SAMPLES = int(os.environ.get("STPULSE_BENCH_COMPUTED_SAMPLES", "10"))


async def write_cash_entries(dsn: str, account_id: uuid.UUID, first: dt.date, last: dt.date,
                             per_month: int = 300) -> int:
    rng = np.random.default_rng(12)
    now = dt.datetime.now(dt.UTC)
    accounts = [(uuid.uuid4(), "Расчётный счёт", "bank", 1_500_000_00, True), (uuid.uuid4(), "Касса", "cash", 50_000_00, False)]
    categories = [(uuid.uuid4(), name, activity.value, flow.value) for name, activity, flow in DEFAULT_CATEGORIES]
    days = (last - first).days + 1
    n = per_month * round(days / 30.4)
    entries = [(uuid.uuid4(), account_id, accounts[int(a)][0], categories[int(c)][0],
                first + dt.timedelta(days=int(d)), int(amount), "", now, now)
               for a, c, d, amount in zip(rng.integers(0, 2, n), rng.integers(0, len(categories), n),
                                          rng.integers(0, days, n), rng.integers(100_00, 500_000_00, n), strict=True)]
    conn = await asyncpg.connect(dsn)
    try:
        async with conn.transaction():
            await conn.copy_records_to_table("cash_accounts", records=[
                (i, account_id, name, kind, first, opening, payouts, now, now)
                for i, name, kind, opening, payouts in accounts],
                columns=["id", "account_id", "name", "kind", "opening_date", "opening_balance", "receives_payouts",
                         "created_at", "updated_at"])
            await conn.copy_records_to_table("cash_categories", records=[
                (i, account_id, name, activity, flow, now, now) for i, name, activity, flow in categories],
                columns=["id", "account_id", "name", "activity", "flow", "created_at", "updated_at"])
            await conn.copy_records_to_table("cash_entries", records=entries, columns=[
                "id", "account_id", "money_account_id", "category_id", "date", "amount", "comment", "created_at",
                "updated_at"])
    finally:
        await conn.close()
    return n
