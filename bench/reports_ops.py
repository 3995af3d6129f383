"""The reports bench's operational data and its computed figures (issue 13).

`write_ops_facts` fills what Операционка and Возвраты read for the bench's shop with COPY, straight from the
sandbox's arrays (as the sync's writer stores them): every posting line created in the period (ozon_posting_items,
with its status as of the sandbox's today, and their monthly sums ozon_order_months by the writer's own refresh),
every return record dated in it (ozon_returns); the stock snapshots are bench/reports_stock.py's daily history.
`xlsx_figures` times every registered report's xlsx of the whole table (`<code>_xlsx_s`).
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from typing import Any

import asyncpg
import numpy as np
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from stpulse.adapters.db.ozon.order_months import refresh_order_months
from stpulse.adapters.sandbox.ozon.origin import posting_number
from stpulse.adapters.sandbox.ozon.postings import (
    compensation_status,
    return_reason,
    returns_on,
    statuses,
    utilised,
)
from stpulse.adapters.sandbox.ozon.world import SellerWorld
from stpulse.adapters.xlsx.reports import XlsxReportWriter
from stpulse.application.accounts.actor import Actor
from stpulse.application.reports.views import ReportRequest, build_report
from stpulse.domain.kernel.moscow import MSK
from stpulse.domain.reports.registry import REPORTS

ITEM_COLUMNS = ["shop_id", "posting_number", "line", "sku", "created_day", "status", "quantity", "price"]
RETURN_COLUMNS = ["shop_id", "return_id", "posting_number", "sku", "quantity", "type", "reason", "returned_at", "raw",
                  "returned_day", "price", "status", "compensation_status", "utilization_sum"]


async def write_ops_facts(dsn: str, shop_id: uuid.UUID, world: SellerWorld, first: dt.date, last: dt.date) -> dict[str, int]:
    sku = world.catalog.sku
    items: list[tuple[Any, ...]] = []
    returns: list[tuple[Any, ...]] = []
    for day in world.days(first, last):
        o = world.origin(day)
        if o is not None and o.n_postings:
            status = statuses(o, world.today).tolist()
            numbers = [posting_number(world.salt, o.index, i) for i in range(o.n_postings)]
            owner = o.line_posting.tolist()
            within = (np.arange(len(owner)) - o.line_start[o.line_posting]).tolist()
            items += [(shop_id, numbers[p], n, int(k), day, status[p], int(q), int(pr)) for p, n, k, q, pr in zip(
                owner, within, sku[o.sku_pos].tolist(), o.qty.tolist(), o.price.tolist(), strict=True)]
        for ref in returns_on(world, day):
            r, line = ref.origin, ref.line
            back_home = (world.today - ref.day).days > 10
            place = "Utilized" if back_home and utilised(world, ref) else "ReturnedToSeller" if back_home else "MovingToSeller"
            comp = compensation_status(world, ref)
            returns.append((shop_id, ref.return_id(world.salt), posting_number(world.salt, r.index, ref.posting),
                            int(sku[int(r.sku_pos[line])]), int(r.qty[line]), ref.kind, return_reason(ref),
                            dt.datetime.combine(ref.day, dt.time(12), tzinfo=MSK), b"", ref.day,
                            int(r.price[line]) * int(r.qty[line]), place,
                            comp["status"]["sys_name"] if comp else "", 0))
    conn = await asyncpg.connect(dsn)
    try:
        await conn.copy_records_to_table("ozon_posting_items", records=items, columns=ITEM_COLUMNS)
        await conn.copy_records_to_table("ozon_returns", records=returns, columns=RETURN_COLUMNS)
        await conn.execute("INSERT INTO ozon_fact_stamps (shop_id, source, stamp) VALUES ($1, 'postings', 1), "
                           "($1, 'returns', 1), ($1, 'stocks', 1)", shop_id)
    finally:
        await conn.close()
    engine = create_async_engine(dsn.replace("postgresql://", "postgresql+asyncpg://"))
    try:  # the monthly sums of the lines, by the writer's own statements
        async with AsyncSession(engine) as session, session.begin():
            months = {day.replace(day=1) for day in world.days(first, last)}
            t0 = time.perf_counter()
            await refresh_order_months(session, shop_id, months)
            refresh_s = time.perf_counter() - t0
            for name in ("ozon_posting_items", "ozon_returns", "ozon_order_months"):
                await session.execute(text(f"ANALYZE {name}"))
    finally:
        await engine.dispose()
    return {"posting_lines": len(items), "return_records": len(returns), "order_months": len(months),
            "order_months_refresh_ms": round(refresh_s * 1000)}


def _pct95(values: list[float]) -> float:
    return round(float(np.percentile(np.array(values), 95)), 1)


async def xlsx_figures(container: Any, actor: Actor, req: ReportRequest, figures: dict[str, object]) -> None:
    """Per registered report: the seconds its xlsx of the whole table takes (`<code>_xlsx_s`; the table itself is
    built first, from the caches when they hold it)."""
    for code in REPORTS:
        view = await build_report(container.deps, actor, code, req)
        if view.table is not None:
            t0 = time.perf_counter()
            XlsxReportWriter().write_table(view.table)
            figures[f"{code}_xlsx_s"] = round(time.perf_counter() - t0, 2)
