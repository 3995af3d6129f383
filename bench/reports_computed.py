"""`<code>_computed_p95_ms`: a report computed with every cache emptied (finished tables in this process and in
Redis, decoded packs, catalogue/cost/expense copies) — the work a request does when nothing is cached, measured in
the bench process through the same use case the web calls (`build_report`), without HTTP."""

from __future__ import annotations

import time

from stpulse.adapters.cache.redis_tables import RedisTableStore
from stpulse.adapters.db.ledger import rollup_packs
from stpulse.adapters.db.reports import content_cache
from stpulse.application.accounts.actor import Actor
from stpulse.application.reports.cache import TABLES
from stpulse.application.reports.views import ReportRequest, build_report


async def computed(deps, actor: Actor, req: ReportRequest, codes: list[str], store: RedisTableStore,  # type: ignore[no-untyped-def]
                   samples: int) -> dict[str, list[float]]:
    runs: dict[str, list[float]] = {code: [] for code in codes}
    for _ in range(samples):
        for code in codes:
            TABLES.clear()
            rollup_packs.CACHE.clear()
            content_cache.clear()
            await store.clear()
            started = time.perf_counter()
            await build_report(deps, actor, code, req)
            runs[code].append((time.perf_counter() - started) * 1000)
    return runs
