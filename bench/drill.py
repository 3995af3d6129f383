"""Benchmark: the drill-down behind «Логистика» of ОПиУ on PostgreSQL (issue 18.4).

Large sandbox profile (STPULSE_BENCH_PROFILE=medium for a quicker run), 3 months of accrual lines in
`accrual_lines` (COPY), the catalogue and Ozon's accrual type names. Times the use cases the page calls, over
`N` runs each: the subtotals by type and by SKU, the same narrowed by a SKU, by a posting and by a type with a page
of lines, and the xlsx of one SKU's lines. The last line is one JSON object.  Run: `python -m bench.drill`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import tempfile
import time
from pathlib import Path

import asyncpg

from bench.reports import pct
from bench.reports_data import write_catalog
from bench.reports_setup import PG, create_db, drop_db, existing, seed_owner, step
from bench.reports_setup import add_shop as add_bench_shop
from stpulse.adapters.db.migrate import upgrade
from stpulse.adapters.sandbox.ozon.reference import real_accrual_types
from stpulse.adapters.sandbox.ozon.world import SellerWorld
from stpulse.adapters.xlsx.drill import XlsxLineSheetWriter
from stpulse.application.reports.drill import drill_down, export_drill
from stpulse.application.reports.views import ReportRequest
from stpulse.domain.reports.drill import DrillFilter, DrillView
from stpulse.entrypoints.bootstrap import bootstrap
from stpulse.entrypoints.settings import Settings

PROFILE = os.environ.get("STPULSE_BENCH_PROFILE", "large")
FIRST, LAST = dt.date(2026, 6, 1), dt.date(2026, 8, 31)
REQ = ReportRequest(month_from="2026-06", month_to="2026-08")
ROW, N = "ozon:logistics", 10
COLUMNS = ["shop_id", "accrual_id", "line_no", "date", "category", "unit_number", "sku", "component", "type_id",
           "amount", "quantity", "delivery_schema", "asked_day"]  # asked for on the day it is dated


async def load(dsn: str, shop_id, world: SellerWorld) -> int:  # type: ignore[no-untyped-def]
    conn = await asyncpg.connect(dsn)
    n = 0
    try:
        day = FIRST
        while day <= LAST:  # a week at a time: the line objects of a large seller's quarter would not fit
            last = min(LAST, day + dt.timedelta(days=6))
            records = [(shop_id, x.accrual_id, x.line_no, x.date, x.category, x.unit_number, x.sku, x.component.value,
                        x.type_id, x.amount, x.quantity, x.delivery_schema, x.date) for x in world.accrual_lines(day, last)]
            await conn.copy_records_to_table("accrual_lines", records=records, columns=COLUMNS)
            n, day = n + len(records), last + dt.timedelta(days=1)
        await conn.executemany(
            "INSERT INTO ozon_accrual_types (type_id, name, description, fetched_on) VALUES ($1, $2, $3, $4)",
            [(t["id"], t["name"], t["description"], LAST) for t in real_accrual_types()])
        await conn.execute("ANALYZE accrual_lines")
    finally:
        await conn.close()
    return n


async def count_lines(dsn: str) -> int:
    conn = await asyncpg.connect(dsn)
    try:
        return int(await conn.fetchval("SELECT count(*) FROM accrual_lines"))
    finally:
        await conn.close()


async def timed(make, n: int = N) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    runs, result = [], None
    for _ in range(n):
        t0 = time.perf_counter()
        result = await make()
        runs.append((time.perf_counter() - t0) * 1000)
    return round(pct(runs, 95), 1), result


async def run(dsn: str, reuse: bool) -> None:
    world = SellerWorld(5, PROFILE)
    settings = Settings(database_url=dsn.replace("postgresql://", "postgresql+asyncpg://"),
                        data_dir=Path(tempfile.mkdtemp()), embedded_worker=False, log_level="WARNING")
    container = bootstrap(settings)
    deps = container.deps
    if reuse:
        actor, shop_id = await existing(deps, dsn)
        lines = await count_lines(dsn)
    else:
        actor = await seed_owner(deps)
        shop_id = await add_bench_shop(dsn, actor)
        t0 = time.perf_counter()
        lines = await load(dsn, shop_id, world)
        await write_catalog(dsn, actor.account_id, shop_id, world)
        step(f"loaded {lines:,} accrual lines in {time.perf_counter() - t0:.1f} s")

    def drill(filt: DrillFilter):  # type: ignore[no-untyped-def]
        return lambda: drill_down(deps, actor, "pnl", REQ, ROW, None, 1, filt)

    figures: dict[str, object] = {"bench": "drill", "profile": PROFILE, "accrual_lines": lines}
    figures["groups_p95_ms"], page = await timed(drill(DrillFilter()))
    sku = page.by_sku[0].key  # type: ignore[attr-defined]
    figures["logistics_lines"] = page.total  # type: ignore[attr-defined]
    figures["sku_p95_ms"], by_sku = await timed(drill(DrillFilter(sku=sku)))
    shown = await drill_down(deps, actor, "pnl", REQ, ROW, None, 1, DrillFilter(view=DrillView.LINES, sku=sku))
    posting = shown.lines[0].posting
    figures["posting_p95_ms"], _ = await timed(drill(DrillFilter(posting=posting)))
    figures["type_lines_page_p95_ms"], _ = await timed(drill(DrillFilter(view=DrillView.LINES, type_id=32, sku=sku)))
    figures["last_page_p95_ms"], _ = await timed(
        lambda: drill_down(deps, actor, "pnl", REQ, ROW, None, page.pages, DrillFilter(view=DrillView.LINES)))  # type: ignore[attr-defined]
    figures["sku_lines"] = by_sku.total  # type: ignore[attr-defined]
    figures["sku_xlsx_p95_ms"], data = await timed(
        lambda: export_drill(deps, actor, "pnl", REQ, ROW, None, DrillFilter(sku=sku), XlsxLineSheetWriter()), 3)
    figures["sku_xlsx_kb"] = len(data) // 1024  # type: ignore[arg-type]
    await container.close()
    for key, value in figures.items():
        print(f"{key:>24}  {value}")
    print(json.dumps(figures, ensure_ascii=False))


async def main() -> None:
    """STPULSE_BENCH_KEEP=1 keeps the database (its name is printed) for STPULSE_BENCH_DB=<name> to reuse."""
    reuse = os.environ.get("STPULSE_BENCH_DB")
    name, url = (reuse, f"{PG.rsplit('/', 1)[0]}/{reuse}") if reuse else await create_db()
    try:
        if not reuse:
            await asyncio.to_thread(upgrade, url.replace("postgresql://", "postgresql+asyncpg://"))
        await run(url, bool(reuse))
    finally:
        if os.environ.get("STPULSE_BENCH_KEEP") or reuse:
            step(f"database kept: {name}")
        else:
            await drop_db(name)


if __name__ == "__main__":
    asyncio.run(main())
