"""Helpers of the sync acceptance tests on PostgreSQL: a container, row snapshots (the sandbox and the seller:
tests/sandbox_shop.py)."""

from __future__ import annotations

import datetime as dt
import uuid

import asyncpg

from stpulse.entrypoints.bootstrap import Container, bootstrap
from stpulse.entrypoints.settings import Settings
from tests.fakes import PlainHasher, RecordingQueue
from tests.sandbox_shop import (  # noqa: F401  (the sync tests reach the shared sandbox helpers through `h.`)
    connect,
    ground_truth,
    month_end,
    month_starts,
    new_actor,
    ozon_factory,
    sandbox_app,
    truth_by_month,
    world_of,
)

YEAR_FROM, YEAR_TO = dt.date(2025, 10, 1), dt.date(2026, 9, 30)  # 12 whole months ending at the sandbox's today
FACT_TABLES = ("accrual_lines", "sku_daily_rollups", "sku_monthly_rollups", "ozon_raw_days", "ozon_postings",
               "ozon_returns", "ozon_products", "ozon_unmapped_types")


def container_for(pg_url: str, tmp_path, factory) -> Container:  # type: ignore[no-untyped-def]
    settings = Settings(mode="production", database_url=pg_url, data_dir=tmp_path, log_json=True)
    return bootstrap(settings, ozon=factory, jobs=RecordingQueue(), hasher=PlainHasher())


def pg_dsn(pg_url: str) -> str:
    return pg_url.replace("postgresql+asyncpg://", "postgresql://")


async def fetch(pg_url: str, sql: str, *args):  # type: ignore[no-untyped-def]
    conn = await asyncpg.connect(pg_dsn(pg_url))
    try:
        return await conn.fetch(sql, *args)
    finally:
        await conn.close()


async def snapshot(pg_url: str, shop_id: uuid.UUID) -> dict[str, tuple[int, str]]:
    """Row count and a digest of every row of every fact table of the shop (equal digests: no row changed)."""
    out = {}
    for table in FACT_TABLES:
        rows = await fetch(pg_url, f"SELECT count(*) AS n, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "
                                   f"AS h FROM {table} t WHERE shop_id = $1", shop_id)
        out[table] = (rows[0]["n"], rows[0]["h"])
    return out
