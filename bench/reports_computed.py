"""Computed figures: every registered report built in this process with every table cache emptied before each
request (the process's tables and the shared Redis store), so the figure is the read + compute path alone."""

from __future__ import annotations

import time

from stpulse.adapters.cache.redis_tables import RedisTableStore
from stpulse.application.reports.views import ReportRequest, build_report
from stpulse.domain.reports.registry import REPORTS


async def computed_figures(deps, actor, req: ReportRequest, store: RedisTableStore,  # type: ignore[no-untyped-def]
                           figures: dict[str, object], samples: int) -> None:
    for code in REPORTS:
        times = []
        for _ in range(samples):
            deps.report_cache.local.clear()
            await store.clear()
            t0 = time.perf_counter()
            await build_report(deps, actor, code, req)
            times.append((time.perf_counter() - t0) * 1000)
        times.sort()
        figures[f"{code}_computed_p95_ms"] = round(times[min(len(times) - 1, int(len(times) * 0.95))], 1)
