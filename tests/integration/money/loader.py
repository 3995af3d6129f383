"""Test loader: a sandbox seller's accruals and products straight into the sync's tables (no HTTP sync).

It builds the daily rollups with `domain.rollup_sources` exactly as the sync contract says (docs/rollups.md)
and writes them with PostgreSQL COPY, so a medium shop's year loads in seconds; then it packs the months with the
sync's own `refresh_monthly_packs`, so the reports read them the way they read a synced shop (packs + table cache).
"""

from __future__ import annotations

import datetime as dt
import uuid

import asyncpg
import numpy as np
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from stpulse.adapters.db.ledger.rollup_packs import refresh_monthly_packs
from stpulse.adapters.sandbox.ozon.world import SellerWorld
from stpulse.domain.kernel.period import EPOCH
from stpulse.domain.ledger.accruals import AccrualLine
from stpulse.domain.ledger.articles import LedgerMapping
from stpulse.domain.ledger.rollup_sources import Buyout, rollup_from_accruals, rollup_from_buyouts
from tests.money_truth import sandbox_buyouts


def dsn(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://")


async def add_shop(url: str, account_id: uuid.UUID, name: str, client_id: str,
                   legal_entity_id: uuid.UUID | None = None) -> uuid.UUID:
    shop_id = uuid.uuid4()
    conn = await asyncpg.connect(dsn(url))
    try:
        await conn.execute(
            "INSERT INTO shops (id, account_id, name, client_id, api_key_encrypted, status, legal_entity_id, "
            "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 'active', $6, now(), now())",
            shop_id, account_id, name, client_id, b"test", legal_entity_id)
    finally:
        await conn.close()
    return shop_id


async def load_buyouts(url: str, shop_id: uuid.UUID, world: SellerWorld, first: dt.date, last: dt.date) -> int:
    """The sandbox's buyouts of first..last as the sync stores them (`ozon_buyouts`, dated by the day whose answer
    carried them) and their daily rollups (`rollup_from_buyouts`); call before `load_lines`, which builds the
    months and their packs from every daily row. Returns the lines written."""
    dated = sandbox_buyouts(world, first, last)
    rollup = rollup_from_buyouts([Buyout(date=day, posting_number=r["posting_number"], sku=int(r["sku"]),
                                         offer_id=r["offer_id"], quantity=int(r["quantity"]),
                                         buyout_price=round(r["buyout_price"] * 100), amount=int(r["amount_kopecks"]))
                                  for day, r in dated], 0)
    sku = np.where(rollup.sku >= 0, rollup.skus[np.maximum(rollup.sku, 0)] if len(rollup.skus) else 0, 0)
    days = [EPOCH + dt.timedelta(days=int(d)) for d in rollup.day.tolist()]
    conn = await asyncpg.connect(dsn(url))
    try:
        await conn.copy_records_to_table("sku_daily_rollups", records=list(zip(
            [shop_id] * len(days), days, sku.tolist(), rollup.article.tolist(), rollup.amount.tolist(),
            rollup.quantity.tolist(), strict=True)), columns=["shop_id", "day", "sku", "article", "amount", "quantity"])
        await conn.copy_records_to_table("ozon_buyouts", records=[
            (shop_id, r["posting_number"], int(r["sku"]), day, r["offer_id"], r["name"], int(r["quantity"]),
             round(r["seller_price_per_instance"] * 100), round(r["buyout_price"] * 100), int(r["amount_kopecks"]),
             int(r["vat_percent"]), b"") for day, r in dated],
            columns=["shop_id", "posting_number", "sku", "day", "offer_id", "name", "quantity", "seller_price",
                     "buyout_price", "amount", "vat_percent", "raw"])
    finally:
        await conn.close()
    return len(dated)


async def load_lines(url: str, shop_id: uuid.UUID, lines: list[AccrualLine], *, with_lines: bool = True) -> None:
    """The rollups of these lines, and the lines themselves (only the sale lines, which a return's cost reads,
    when `with_lines` is false)."""
    rollup = rollup_from_accruals(lines, LedgerMapping.default(), 0).rollup
    sku = np.where(rollup.sku >= 0, rollup.skus[np.maximum(rollup.sku, 0)] if len(rollup.skus) else 0, 0)
    days = [EPOCH + dt.timedelta(days=int(d)) for d in rollup.day.tolist()]
    records = list(zip([shop_id] * len(days), days, sku.tolist(), rollup.article.tolist(), rollup.amount.tolist(),
                       rollup.quantity.tolist(), strict=True))
    conn = await asyncpg.connect(dsn(url))
    try:
        await conn.copy_records_to_table("sku_daily_rollups", records=records,
                                         columns=["shop_id", "day", "sku", "article", "amount", "quantity"])
        await conn.execute(
            "INSERT INTO sku_monthly_rollups (shop_id, month, sku, article, amount, quantity) "
            "SELECT shop_id, date_trunc('month', day)::date, sku, article, sum(amount), sum(quantity) "
            "FROM sku_daily_rollups WHERE shop_id = $1 GROUP BY 1, 2, 3, 4", shop_id)
        await conn.copy_records_to_table("accrual_lines", records=[
            (shop_id, x.accrual_id, x.line_no, x.date, x.category, x.unit_number, x.sku, x.component.value,
             x.type_id, x.amount, x.quantity, x.delivery_schema, x.date) for x in lines
            if with_lines or x.component.value == "sale"],
            columns=["shop_id", "accrual_id", "line_no", "date", "category", "unit_number", "sku", "component",
                     "type_id", "amount", "quantity", "delivery_schema", "asked_day"])
    finally:
        await conn.close()
    months = sorted({d.replace(day=1) for d in days})
    engine = create_async_engine(url if "+asyncpg" in url else url.replace("postgresql://", "postgresql+asyncpg://"))
    try:
        async with AsyncSession(engine) as session:
            await refresh_monthly_packs(session, shop_id, months)
            await session.commit()
    finally:
        await engine.dispose()


PRODUCT_COLUMNS = ("shop_id", "product_id", "offer_id", "sku", "name", "barcodes", "price", "archived", "raw")


def product_records(shop_id: uuid.UUID, world: SellerWorld) -> list[tuple]:
    """The sandbox catalogue as the sync stores it in `ozon_products`."""
    cat = world.catalog
    return [(shop_id, int(cat.product_id[i]), cat.offer_id(i), int(cat.sku[i]), cat.name(i), cat.barcode(i),
             int(cat.price[i]), False, b"{}") for i in range(cat.n)]


async def load_products(url: str, shop_id: uuid.UUID, world: SellerWorld) -> None:
    conn = await asyncpg.connect(dsn(url))
    try:
        await conn.copy_records_to_table("ozon_products", records=product_records(shop_id, world),
                                         columns=list(PRODUCT_COLUMNS))
    finally:
        await conn.close()


async def load_type_names(url: str) -> None:
    """Ozon's accrual type names as a sync stores them (the sandbox serves the real dictionary)."""
    from stpulse.adapters.sandbox.ozon.reference import real_accrual_types

    conn = await asyncpg.connect(dsn(url))
    try:
        await conn.executemany(
            "INSERT INTO ozon_accrual_types (type_id, name, description, fetched_on) VALUES ($1, $2, $3, $4) "
            "ON CONFLICT DO NOTHING",
            [(t["id"], t["name"] or "", t["description"] or "", dt.date(2026, 1, 1)) for t in real_accrual_types()])
    finally:
        await conn.close()
