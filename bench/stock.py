"""«Товарные остатки» and «Планирование поставок» on the large profile (5,000 SKUs × every warehouse and cluster the
sandbox seller uses), PostgreSQL, in one process: p95 of a cached table (the report cache warm), p95 computed (every
cache emptied before each request: the table key, the decoded inputs), and the xlsx export of the finished table.

    STPULSE_BENCH_PROFILE=large STPULSE_BENCH_REDIS=redis://127.0.0.1:6379/6 python -m bench.stock

Prints figures as JSON (`stock_p95_ms`, `stock_computed_p95_ms`, `stock_xlsx_s`, the same for `supply`); never fails on
timing. bench/reports.py also loads this history, so its generic per-report lines cover both reports over HTTP.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import tempfile
import time
from pathlib import Path

from bench.reports import PROFILE, BenchClock, add_shop, create_db, drop_db, grant_access, seed_owner
from bench.reports_data import write_catalog
from bench.reports_stock import load_stock_history
from stpulse.adapters.cache.redis_tables import RedisTableStore
from stpulse.adapters.db.migrate import upgrade
from stpulse.adapters.db.reports import content_cache
from stpulse.adapters.sandbox.ozon.world import SellerWorld
from stpulse.adapters.xlsx.reports import XlsxReportWriter
from stpulse.application.reports.cache import TABLES
from stpulse.application.reports.views import ReportRequest, build_report
from stpulse.entrypoints.bootstrap import bootstrap
from stpulse.entrypoints.settings import Settings

REDIS = os.environ.get("STPULSE_BENCH_REDIS", "redis://127.0.0.1:6379/6")
AS_OF = dt.date(2026, 8, 31)
SAMPLES = int(os.environ.get("STPULSE_BENCH_SAMPLES", "20"))
COMPUTED = int(os.environ.get("STPULSE_BENCH_COMPUTED_SAMPLES", "5"))


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))], 1)


async def main() -> None:
    name, url = await create_db()
    try:
        await asyncio.to_thread(upgrade, url.replace("postgresql://", "postgresql+asyncpg://"))
        await run(url)
    finally:
        await drop_db(name)


async def run(dsn: str) -> None:
    settings = Settings(database_url=dsn.replace("postgresql://", "postgresql+asyncpg://"), redis_url=REDIS,
                        data_dir=Path(tempfile.mkdtemp()), embedded_worker=False, log_level="WARNING")
    container = bootstrap(settings, clock=BenchClock())
    deps = container.deps
    world = SellerWorld(3, PROFILE)
    actor = await seed_owner(deps)
    await grant_access(deps, actor)
    shop_id = await add_shop(dsn, actor)
    await write_catalog(dsn, actor.account_id, shop_id, world)
    t0 = time.perf_counter()
    rows = await load_stock_history(dsn, shop_id, world, AS_OF - dt.timedelta(days=59), AS_OF,
                                    items_from=AS_OF - dt.timedelta(days=364 + 60))
    figures: dict[str, object] = {"bench": "stock", "profile": PROFILE, "snapshot_rows": rows,
                                  "load_s": round(time.perf_counter() - t0, 1)}
    store = RedisTableStore(REDIS)
    req = ReportRequest(shop_ids=(shop_id,), month_from="2026-08", month_to="2026-08")
    for code in ("stock", "supply"):
        computed = []
        for _ in range(COMPUTED):
            TABLES.clear()
            content_cache.clear()
            await store.clear()
            t0 = time.perf_counter()
            view = await build_report(deps, actor, code, req)
            computed.append((time.perf_counter() - t0) * 1000)
        cached = []
        for _ in range(SAMPLES):
            t0 = time.perf_counter()
            view = await build_report(deps, actor, code, req)
            cached.append((time.perf_counter() - t0) * 1000)
        assert view.table is not None
        t0 = time.perf_counter()
        data = XlsxReportWriter().write_table(view.table)
        figures[f"{code}_xlsx_s"] = round(time.perf_counter() - t0, 2)
        figures[f"{code}_rows"] = len(view.table.rows)
        figures[f"{code}_xlsx_bytes"] = len(data)
        figures[f"{code}_p95_ms"] = p95(cached)
        figures[f"{code}_computed_p95_ms"] = p95(computed)
    await store.aclose()
    await container.close()
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    asyncio.run(main())
