"""ОПиУ and Юнитка through the JSON API in this process, the way the reports bench measured them when issue 10 was
filed (eabd704 `bench/reports.py`): a token, no Redis, 20 requests of each report (cached p95, the first one
computed), then N computed requests with the finished tables (`TABLES`) emptied before each (computed p50).

Issue 10 line 4 asks that the reports be no slower than then; figures of other days and machines do not compare, so
session 8 ran eabd704's bench (its database kept) and this module against a copy of that database upgraded to
today's migrations, alternately, on one machine (docs/reports.md). The requests ask for the JSON as it is
(`Accept-Encoding: identity`): eabd704 never compressed it, and today's gzipped answer (from a table's second
request on) would time the client's own decompression of 2.4 MB (~8 ms of Юнитка's cached figure) in this process,
beside the server. Run it alone on the machine:

    STPULSE_BENCH_DB=<kept db> [STPULSE_BENCH_COMPUTED=20] python -m bench.reports_filing
"""

from __future__ import annotations

import asyncio
import logging
import os
import tempfile
import time
from pathlib import Path

import httpx
import numpy as np

from bench.reports import MONTHS, PG
from bench.reports_setup import existing, grant_access
from stpulse.application.accounts import api_tokens
from stpulse.application.reports.cache import TABLES
from stpulse.entrypoints.bootstrap import bootstrap
from stpulse.entrypoints.settings import Settings
from stpulse.entrypoints.web.app import create_app

N_CACHED, N_COMPUTED = 20, int(os.environ.get("STPULSE_BENCH_COMPUTED", "20"))


async def _times(client: httpx.AsyncClient, path: str, token: str, n: int, computed: bool = False) -> list[float]:
    out = []
    for _ in range(n):
        if computed:
            TABLES.clear()
        t0 = time.perf_counter()
        resp = await client.get(path, headers={"Authorization": f"Bearer {token}", "Accept-Encoding": "identity"})
        out.append((time.perf_counter() - t0) * 1000)
        if resp.status_code != 200:
            raise RuntimeError(f"{path}: {resp.status_code} {resp.text[:300]}")
    return out


async def main() -> None:
    dsn = f"{PG.rsplit('/', 1)[0]}/{os.environ['STPULSE_BENCH_DB']}"
    settings = Settings(database_url=dsn.replace("postgresql://", "postgresql+asyncpg://"),
                        data_dir=Path(tempfile.mkdtemp()), embedded_worker=False, log_level="WARNING")
    container = bootstrap(settings)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    actor, shop_id = await existing(container.deps, dsn)
    await grant_access(container.deps, actor)  # the filing-time database has no subscription: tokens need one now
    _, token = await api_tokens.create_token(container.deps, actor, "bench")
    app = create_app(settings, container)
    query = f"from={MONTHS[0]}&to={MONTHS[1]}&shops={shop_id}"
    runs: dict[str, list[float]] = {}
    async with app.lifespan(), httpx.AsyncClient(transport=httpx.ASGITransport(app=app),  # type: ignore[arg-type]
                                                 base_url="http://bench") as client:
        for code in ("pnl", "unit"):
            runs[code] = await _times(client, f"/api/v1/reports/{code}?{query}", token, N_CACHED)
        for code in ("pnl", "unit"):
            runs[f"{code}_computed"] = await _times(client, f"/api/v1/reports/{code}?{query}", token, N_COMPUTED, True)
    for name, values in runs.items():
        print(name, [round(x) for x in values])
    print({"pnl_p95_ms": round(float(np.percentile(runs["pnl"], 95)), 1),
           "unit_p95_ms": round(float(np.percentile(runs["unit"], 95)), 1),
           "pnl_computed_p50_ms": round(float(np.percentile(runs["pnl_computed"], 50)), 1),
           "unit_computed_p50_ms": round(float(np.percentile(runs["unit_computed"], 50)), 1),
           "load_avg": round(os.getloadavg()[0], 2)})


if __name__ == "__main__":
    asyncio.run(main())
