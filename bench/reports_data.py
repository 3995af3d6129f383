"""Bench data: a large sandbox seller's year straight from the sandbox's day tables (numpy, no line objects).

Gives the raw accrual line columns (for DuckDB) and writes the daily and monthly rollups (the sync's contract,
docs/rollups.md) into PostgreSQL with COPY, plus products, a cost history and own expenses.
"""

from __future__ import annotations

import datetime as dt
import uuid

import asyncpg
import numpy as np

from stpulse.adapters.db.ledger.rollup_packs import refresh_monthly_packs
from stpulse.adapters.sandbox.ozon.day_table import COMP_COMMISSION, COMP_SALE
from stpulse.adapters.sandbox.ozon.world import SellerWorld
from stpulse.domain.kernel.period import EPOCH
from stpulse.domain.ledger.articles import COMMISSION, OTHER, RETURNS, REVENUE, LedgerMapping
from stpulse.domain.ledger.rollup import make_rollup


def raw_lines(world: SellerWorld, first: dt.date, last: dt.date) -> dict[str, np.ndarray]:
    """Every accrual line of the period as columns: day (days since 1970), comp, type_id, sku, amount, qty."""
    parts: dict[str, list[np.ndarray]] = {k: [] for k in ("day", "comp", "type_id", "sku", "amount", "qty")}
    for day in world.days(first, last):
        t = world.day_table(day)
        n = t.ln["amount"].size
        parts["day"].append(np.full(n, (day - EPOCH).days, np.int32))
        for k in ("comp", "type_id", "sku", "amount", "qty"):
            parts[k].append(t.ln[k].astype(np.int64))
    return {k: np.concatenate(v) for k, v in parts.items()}


def articles(lines: dict[str, np.ndarray], mapping: LedgerMapping) -> np.ndarray:
    table = mapping.lookup_table(int(lines["type_id"].max()) + 1)
    tid = lines["type_id"]
    service = np.where((tid >= 0) & (tid < len(table)), table[np.clip(tid, 0, len(table) - 1)], OTHER)
    sale = np.where(lines["amount"] >= 0, REVENUE, RETURNS)
    return np.where(lines["comp"] == COMP_SALE, sale, np.where(lines["comp"] == COMP_COMMISSION, COMMISSION, service))


def daily_rollup(lines: dict[str, np.ndarray], art: np.ndarray) -> np.ndarray:
    """int64 [n, 5] (day, sku, article, Σ amount, Σ |qty|) per natural key."""
    key = (lines["day"].astype(np.int64) << 44) | (lines["sku"] << 8) | art
    uniq, inverse = np.unique(key, return_inverse=True)
    amount = np.zeros(uniq.size, np.int64)
    qty = np.zeros(uniq.size, np.int64)
    np.add.at(amount, inverse, lines["amount"])
    np.add.at(qty, inverse, np.abs(lines["qty"]))
    return np.column_stack([uniq >> 44, (uniq >> 8) & ((1 << 36) - 1), uniq & 0xFF, amount, qty])


async def write_rollups(dsn: str, shop_id: uuid.UUID, rows: np.ndarray) -> None:
    days = [EPOCH + dt.timedelta(days=int(d)) for d in range(int(rows[:, 0].min()), int(rows[:, 0].max()) + 1)]
    first = int(rows[:, 0].min())
    records = [(shop_id, days[d - first], s, a, m, q) for d, s, a, m, q in rows.tolist()]
    conn = await asyncpg.connect(dsn)
    try:
        await conn.copy_records_to_table("sku_daily_rollups", records=records,
                                         columns=["shop_id", "day", "sku", "article", "amount", "quantity"])
        await conn.execute(
            "INSERT INTO sku_monthly_rollups (shop_id, month, sku, article, amount, quantity) "
            "SELECT shop_id, date_trunc('month', day)::date, sku, article, sum(amount), sum(quantity) "
            "FROM sku_daily_rollups WHERE shop_id = $1 GROUP BY 1, 2, 3, 4", shop_id)
        await conn.execute("ANALYZE sku_daily_rollups; ANALYZE sku_monthly_rollups")
    finally:
        await conn.close()


async def refresh_packs(deps, shop_id: uuid.UUID, first: dt.date, last: dt.date) -> None:  # type: ignore[no-untyped-def]
    """What the sync's `rebuild_monthly` does after the monthly rows: re-pack the months for the reports."""
    months = [dt.date(y, m, 1) for y in range(first.year, last.year + 1) for m in range(1, 13)
              if first.replace(day=1) <= dt.date(y, m, 1) <= last]
    async with deps.uow() as uow:
        await refresh_monthly_packs(uow.session, shop_id, months)
        await uow.commit()


def cost_rows(world: SellerWorld) -> list[tuple[str, dt.date, int, int, int, int]]:
    """The bench's cost history (offer_id, effective_from, purchase, delivery, packaging, marking): one price from
    2024 for every SKU, and for a tenth of them a new one from 15.02.2026 (their sales that month are read by day)."""
    cat, out = world.catalog, []
    for i in range(cat.n):
        out.append((cat.offer_id(i), dt.date(2024, 1, 1), 20_000 + i, 1_000, 500, 100))
        if i % 10 == 0:
            out.append((cat.offer_id(i), dt.date(2026, 2, 15), 22_000 + i, 1_000, 500, 100))
    return out


def opex_rows(first: dt.date, last: dt.date) -> list[tuple[bool, dt.date, str, int]]:
    """Own expenses (whole account?, month, article, kopecks): three articles of the shop a month and one of the
    whole account (split over the account's shops: here one)."""
    out = []
    month = first.replace(day=1)
    while month <= last:
        k = month.month
        out += [(False, month, "Фулфилмент", 15_000_000 + 10_000 * k), (False, month, "Упаковка", 2_345_678 + k),
                (False, month, "Зарплата", 30_000_000), (True, month, "Аренда офиса", 8_000_000 + k)]
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return out


async def write_catalog(dsn: str, account_id: uuid.UUID, shop_id: uuid.UUID, world: SellerWorld,
                        first: dt.date | None = None, last: dt.date | None = None) -> None:
    """Products, the cost history and, given a period, own expenses in it."""
    cat, now = world.catalog, dt.datetime.now(dt.UTC)
    conn = await asyncpg.connect(dsn)
    try:
        await conn.copy_records_to_table("ozon_products", records=[
            (shop_id, int(cat.product_id[i]), cat.offer_id(i), int(cat.sku[i]), cat.name(i), "", int(cat.price[i]),
             False, b"{}") for i in range(cat.n)],
            columns=["shop_id", "product_id", "offer_id", "sku", "name", "barcodes", "price", "archived", "raw"])
        await conn.copy_records_to_table("cost_prices", records=[(uuid.uuid4(), account_id, *c, now, now)
                                                                 for c in cost_rows(world)],
                                         columns=["id", "account_id", "offer_id", "effective_from", "purchase",
                                                  "delivery", "packaging", "marking", "created_at", "updated_at"])
        await conn.copy_records_to_table("opex_entries", records=[
            (uuid.uuid4(), account_id, None if whole else shop_id, month, article, amount, now, now)
            for whole, month, article, amount in (opex_rows(first, last) if first and last else [])],
            columns=["id", "account_id", "shop_id", "month", "article", "amount", "created_at", "updated_at"])
    finally:
        await conn.close()


async def rewrite_days(deps, shop_id: uuid.UUID, rows: np.ndarray, days: list[int], bump: int) -> None:  # type: ignore[no-untyped-def]
    """A real change through the sync's own writer: each day's rollup rows written again (`write_daily_rollups`,
    delete the range + insert) with the first row's amount moved by `bump` kopecks, then `rebuild_monthly` of the
    days' months, which re-sums them and refreshes their packs (new stamps) — what a re-synced day does."""
    months = sorted({(EPOCH + dt.timedelta(days=d)).replace(day=1) for d in days})
    async with deps.uow() as uow:
        for d in days:
            day = rows[rows[:, 0] == d]
            skus = np.unique(day[day[:, 1] > 0, 1])
            amount = day[:, 3].copy()
            amount[0] += bump
            rollup = make_rollup(day=day[:, 0], shop=np.zeros(len(day)), article=day[:, 2], amount=amount,
                                 quantity=day[:, 4], sku=np.where(day[:, 1] > 0, np.searchsorted(skus, day[:, 1]), -1),
                                 shop_ids=[0], skus=skus, sku_shop=np.zeros(len(skus)))
            date = EPOCH + dt.timedelta(days=d)
            await uow.facts.write_daily_rollups(shop_id, {date}, rollup)
        await uow.facts.rebuild_monthly(shop_id, months)
        await uow.commit()
