"""One report's «retable» in this process, profiled: where a table computed again goes (statements, reads, build).

As `bench.reports`' stage `retable` on a kept bench database: the worker's warm job, then `n` requests of
`build_report` with only the finished tables emptied before each (`reports_computed.empty_tables`). Prints the
first request's statements (an SQLAlchemy counter), each request's wall and CPU time, gen-2 collections, and with
`--profile` a pyinstrument tree over the `n` requests (pyinstrument is not a project dependency: install it into
the venv for this). Run it alone on the machine, like any timing, and say the load average.

    STPULSE_BENCH_DB=<kept db> python -m bench.reports_profile unit 20 [--profile]
"""

from __future__ import annotations

import asyncio
import gc
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import event

from bench.reports import MONTHS, REDIS, BenchClock
from bench.reports_computed import empty_tables
from bench.reports_setup import PG, existing
from stpulse.adapters.cache.redis_tables import RedisTableStore
from stpulse.application.reports.views import ReportRequest, build_report
from stpulse.application.reports.warm import warm_reports
from stpulse.entrypoints.bootstrap import bootstrap
from stpulse.entrypoints.settings import Settings


async def main(code: str, n: int, profile: bool) -> None:
    dsn = f"{PG.rsplit('/', 1)[0]}/{os.environ['STPULSE_BENCH_DB']}"
    url = dsn.replace("postgresql://", "postgresql+asyncpg://")
    settings = Settings(database_url=url, redis_url=REDIS, data_dir=Path(tempfile.mkdtemp()), embedded_worker=False,
                        log_level="WARNING")
    container = bootstrap(settings, clock=BenchClock())
    gc.collect()
    gc.freeze()  # as a web process does once started
    deps = container.deps
    actor, shop_id = await existing(deps, dsn)
    store = RedisTableStore(REDIS)
    req = ReportRequest(shop_ids=(shop_id,), month_from=MONTHS[0], month_to=MONTHS[1])
    await warm_reports(deps, shop_id)
    statements: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement.strip().split("\n")[0][:100])

    full_gcs: list[float] = []
    started = [0.0]

    def collected(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started[0] = time.perf_counter()
        elif info["generation"] == 2:
            full_gcs.append((time.perf_counter() - started[0]) * 1000)

    gc.callbacks.append(collected)
    assert container.database is not None
    event.listen(container.database.engine.sync_engine, "before_cursor_execute", record)
    profiler = None
    if profile:
        from pyinstrument import Profiler  # not a project dependency

        profiler = Profiler(interval=0.0005, async_mode="enabled")
    wall, cpu = [], []
    for i in range(n):
        await empty_tables(deps, store)
        statements.clear()
        full_gcs.clear()
        if profiler is not None:
            profiler.start()
        t0, c0 = time.perf_counter(), time.process_time()
        await build_report(deps, actor, code, req)
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
        if profiler is not None:
            profiler.stop()
        if i == 0:
            print(f"{len(statements)} statements:", *statements, sep="\n  ", file=sys.stderr)
        if full_gcs:
            print(f"request {i}: full collections {[round(x, 1) for x in full_gcs]} ms", file=sys.stderr)
    print(f"{code} retable in process: wall p50 {np.percentile(wall, 50):.1f} ms (min {min(wall):.1f}), "
          f"CPU p50 {np.percentile(cpu, 50):.1f} ms, load average {os.getloadavg()[0]:.2f}; "
          f"{[round(x, 1) for x in wall]}")
    if profiler is not None:
        print(profiler.output_text(unicode=True, color=False))
    await store.aclose()
    await container.close()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 20, "--profile" in sys.argv))
