"""Benchmark (issue 15.2): how far План's month-end forecast made on the 15th is from the month's actual figures.

A sandbox seller (STPULSE_BENCH_PROFILE, default medium) has 14 months of rollups written to a fresh PostgreSQL
database the way the sync writes them (bench/reports_data); for each of the last 12 months the «План» report is
built with the clock on the 16th (09:00 UTC: the data runs to the 15th) and again after the month's end. Printed
per month: the forecast of net revenue and of net units made on the 15th, the actual, the error. The last line is
JSON with the mean absolute error (₽, units) and the mean absolute percentage error. No target: an honest figure.
Run: `python -m bench.plan_forecast`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import os
import tempfile
from pathlib import Path

from bench.reports import add_shop, create_db, drop_db, seed_owner
from bench.reports_data import articles, daily_rollup, raw_lines, refresh_packs, write_catalog, write_rollups
from stpulse.adapters.db.migrate import upgrade
from stpulse.adapters.sandbox.ozon.world import SellerWorld
from stpulse.application.reports.views import ReportRequest, build_report
from stpulse.domain.billing import Subscription
from stpulse.domain.kernel.period import month_text, parse_month
from stpulse.domain.ledger.articles import LedgerMapping
from stpulse.entrypoints.bootstrap import bootstrap
from stpulse.entrypoints.settings import Settings

PROFILE = os.environ.get("STPULSE_BENCH_PROFILE", "medium")
FIRST, LAST = dt.date(2025, 8, 1), dt.date(2026, 9, 30)  # the sandbox world ends in September 2026
MONTHS = [month_text(m) for m in range(parse_month("2025-10"), parse_month("2026-09") + 1)]
AFTER = dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC)


class Clock:
    def __init__(self) -> None:
        self.current = AFTER

    def now(self) -> dt.datetime:
        return self.current


async def main() -> None:
    logging.getLogger("httpx").setLevel(logging.WARNING)
    name, dsn = await create_db()
    try:
        await asyncio.to_thread(upgrade, dsn.replace("postgresql://", "postgresql+asyncpg://"))
        await run(dsn)
    finally:
        await drop_db(name)


async def run(dsn: str) -> None:
    world = SellerWorld(5, PROFILE)
    lines = raw_lines(world, FIRST, LAST)
    clock = Clock()
    settings = Settings(database_url=dsn.replace("postgresql://", "postgresql+asyncpg://"),
                        data_dir=Path(tempfile.mkdtemp()), embedded_worker=False, log_level="WARNING")
    container = bootstrap(settings, clock=clock)
    deps = container.deps
    actor = await seed_owner(deps)
    async with deps.uow() as uow:  # the richest tariff over the whole time the bench's clock visits
        since = dt.datetime(2025, 9, 1, tzinfo=dt.UTC)
        await uow.subscriptions.save(Subscription.new(user_id=actor.user.id, tariff_code="pro", now=since)
                                     .start_trial(now=since, days=800))
        await uow.commit()
    shop_id = await add_shop(dsn, actor)
    await write_rollups(dsn, shop_id, daily_rollup(lines, articles(lines, LedgerMapping.default())))
    await refresh_packs(deps, shop_id, FIRST, LAST)
    await write_catalog(dsn, actor.account_id, shop_id, world)
    print(f"{PROFILE} seller, {lines['amount'].size:,} accrual lines {FIRST}..{LAST}".replace(",", " "), flush=True)
    print(f"{'месяц':8} {'прогноз на 15-е, ₽':>20} {'факт, ₽':>16} {'ошибка':>8} {'прогноз, шт':>12} {'факт, шт':>9}")
    errors: list[tuple[int, int, int, int]] = []
    for month in MONTHS:
        code = f"{parse_month(month)}:shop"
        req = ReportRequest(shop_ids=(shop_id,), month_from=month, month_to=month)
        first = dt.date.fromisoformat(f"{month}-01")
        clock.current = dt.datetime(first.year, first.month, 16, 9, tzinfo=dt.UTC)
        seen = (await build_report(deps, actor, "plan", req)).table
        clock.current = AFTER
        actual = (await build_report(deps, actor, "plan", req)).table
        assert seen is not None and actual is not None
        f_rub, a_rub = seen.row(f"{code}:revenue").values[3] or 0, actual.row(f"{code}:revenue").values[1] or 0
        f_u, a_u = seen.row(f"{code}:units").values[3] or 0, actual.row(f"{code}:units").values[1] or 0
        errors.append((f_rub, a_rub, f_u, a_u))
        pct = (f_rub - a_rub) / a_rub * 100 if a_rub else 0.0
        print(f"{month:8} {f_rub / 100:>20,.2f} {a_rub / 100:>16,.2f} {pct:>+7.1f}% {f_u:>12,} {a_u:>9,}"
              .replace(",", " ").replace(".", ","), flush=True)
    await container.close()
    n = len(errors)
    print(json.dumps({"profile": PROFILE, "months": n,
                      "revenue_mae_rub": round(sum(abs(f - a) for f, a, _, _ in errors) / n / 100, 2),
                      "revenue_mape_pct": round(sum(abs(f - a) / a for f, a, _, _ in errors if a) / n * 100, 2),
                      "units_mae": round(sum(abs(f - a) for _, _, f, a in errors) / n, 1)}))


if __name__ == "__main__":
    asyncio.run(main())
