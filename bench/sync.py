"""Benchmark: a 12-month sync of the large sandbox seller into PostgreSQL (the sandbox in its own process).

    .venv/bin/python bench/sync.py [--profile large] [--months 12] [--pg postgresql://postgres@127.0.0.1:5432/test]

Prints accrual lines per second, API requests made against the minimum the page limits allow, peak memory;
the last line is a JSON object with lines_per_s, api_requests, min_api_requests and peak_rss_mb.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import math
import resource
import socket
import subprocess
import sys
import tempfile
import time
import uuid
import zlib
from bisect import bisect_left, bisect_right
from pathlib import Path
from typing import Any

import asyncpg
import httpx

SANDBOX_TODAY = dt.date(2026, 9, 30)
CLIENT, KEY = "900001", "bench-key-900001"
# Ozon's maxima: accruals by day (sandbox page), postings /v3/posting/fbo/list + /v4/posting/fbs/list `limit`
# ≤ 100, returns, products, SKUs per /v1/analytics/stocks
ACCRUAL_PAGE, POSTING_PAGE, RETURNS_PAGE, PRODUCT_PAGE, STOCK_SKUS = 1000, 100, 500, 1000, 100


class NoJobs:
    def enqueue(self, job: str, **ids: Any) -> None:
        return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_sandbox(profile: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    stpulse = Path(sys.executable).parent / "stpulse"
    proc = subprocess.Popen([str(stpulse), "sandbox", "--port", str(port), "--profile", profile, "--seed", "1",
                             "--client-id", CLIENT, "--api-key", KEY, "--today", SANDBOX_TODAY.isoformat()],
                            stdout=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            httpx.get(url + "/__sandbox/status", timeout=1).raise_for_status()
            return proc, url
        except httpx.HTTPError:
            time.sleep(0.1)
    raise SystemExit("the sandbox did not start")


async def create_db(pg: str) -> tuple[str, str]:
    name = f"stpulse_bench_{uuid.uuid4().hex[:8]}"
    conn = await asyncpg.connect(pg)
    await conn.execute(f'CREATE DATABASE "{name}"')
    await conn.close()
    return name, pg.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://") + "/" + name


async def drop_db(pg: str, name: str) -> None:
    conn = await asyncpg.connect(pg)
    await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await conn.close()


def month_back(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - (months - 1)
    return dt.date(index // 12, index % 12 + 1, 1)


async def run_sync(url: str, sandbox_url: str, first: dt.date, last: dt.date) -> tuple[Any, float]:
    from stpulse.adapters.ozon import OzonHttpSettings, OzonSellerClientFactory
    from stpulse.application.accounts.actor import Actor
    from stpulse.application.accounts.identity import Register, register_new
    from stpulse.application.ozon.shops import ConnectShop, connect_shop
    from stpulse.application.ozon.sync import sync_shop
    from stpulse.application.ozon.sync_ports import SyncKind
    from stpulse.entrypoints.bootstrap import bootstrap
    from stpulse.entrypoints.settings import Settings

    pooled = OzonSellerClientFactory(OzonHttpSettings(base_url=sandbox_url, requests_per_second=1e6, burst=1000))
    clients: list[Any] = []

    def factory(credentials: Any) -> Any:
        clients.append(pooled(credentials))
        return clients[-1]

    factory.aclose = pooled.aclose  # type: ignore[attr-defined]
    container = bootstrap(Settings(mode="production", database_url=url, data_dir=Path(tempfile.mkdtemp())),
                          ozon=factory, jobs=NoJobs())
    deps = container.deps
    user = await register_new(deps, Register(email="bench@example.com", password="bench-password-1",
                                         password_confirm="bench-password-1", full_name="Бенчмарк", consent=True))
    async with deps.uow() as uow:
        membership = (await uow.memberships.for_user(user.id))[0]
        account = await uow.accounts.get(membership.account_id)
    actor = Actor(user=user, account=account, membership=membership)  # type: ignore[arg-type]
    shop = await connect_shop(deps, actor, ConnectShop(name="Бенчмарк", client_id=CLIENT, api_key=KEY))
    last_print, started = [0.0], time.perf_counter()
    stages: dict[str, float] = {}

    marks: list[tuple[str, float]] = []

    def progress(percent: int, step: str) -> None:
        if not step.startswith("Начисления") and "accruals" not in stages:
            stages["accruals"] = time.perf_counter() - started
        name = step.split(" ")[0]
        if not marks or marks[-1][0] != name:
            marks.append((name, time.perf_counter() - started))
        if time.monotonic() - last_print[0] > 10:
            last_print[0] = time.monotonic()
            print(f"  {time.perf_counter() - started:6.0f} s {percent:3d} %  {step}", flush=True)

    cpu = time.process_time()
    run = await sync_shop(deps, shop.id, SyncKind.CLI, date_from=first, date_to=last, progress=progress)
    elapsed = time.perf_counter() - started
    stages["cpu"] = time.process_time() - cpu
    print(f"accrual stage: {stages.get('accruals', elapsed):.1f} s "
          f"({run.lines / stages.get('accruals', elapsed):.0f} lines/s); CPU of this process {stages['cpu']:.1f} s "
          f"({run.lines / stages['cpu']:.0f} lines per CPU-second)", flush=True)
    ends = [t for _, t in marks[1:]] + [elapsed]
    by_path: dict[str, int] = {}
    for client in clients[1:]:  # the first one checked the key when the shop was connected
        for path, n in client.requests_by_path.items():
            by_path[path] = by_path.get(path, 0) + n
    print("requests by path: " + ", ".join(f"{p} {n}" for p, n in sorted(by_path.items())))
    print("stages: " + ", ".join(f"{name} {end - start:.1f} s" for (name, start), end in zip(marks, ends, strict=True)))
    await container.close()
    return (run, shop.id), elapsed


async def minimum_requests(url: str, shop_id: uuid.UUID, first: dt.date, last: dt.date) -> dict[str, int]:
    """What the page limits force: accrual pages per day, posting/return/product pages, stock batches."""
    from stpulse.adapters.ozon import paging as pg
    from stpulse.application.ozon.sync_plan import bounds

    windows = pg.span_chunks(*bounds(first, last), pg.POSTINGS_MAX_SPAN)  # Ozon refuses a period over a year
    conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    per_day = await conn.fetch("SELECT day, records FROM ozon_raw_days WHERE shop_id = $1", shop_id)
    fbo = await posting_pages(conn, shop_id, "FBO", windows)
    fbs = await posting_pages(conn, shop_id, "FBS", windows)
    returns = await conn.fetchval("SELECT count(*) FROM ozon_returns WHERE shop_id = $1", shop_id)
    products = await conn.fetchval("SELECT count(*) FROM ozon_products WHERE shop_id = $1", shop_id)
    skus = await conn.fetchval("SELECT count(DISTINCT sku) FROM ozon_products WHERE shop_id = $1 AND sku <> 0", shop_id)
    await conn.close()
    return {
        "accruals": sum(max(1, math.ceil(r["records"] / ACCRUAL_PAGE)) for r in per_day),
        "postings_fbo": fbo,
        "postings_fbs": fbs,
        "returns": max(1, math.ceil(returns / RETURNS_PAGE)),
        "products": math.ceil(products / PRODUCT_PAGE) + 1 + math.ceil(products / PRODUCT_PAGE),  # list, archived, info
        "stocks": math.ceil(skus / STOCK_SKUS),
        "accrual_types": 1,  # /v1/finance/accrual/types, once a Moscow day
    }


async def posting_pages(conn: Any, shop_id: uuid.UUID, scheme: str, windows: list[tuple[dt.datetime, dt.datetime]]
                        ) -> int:
    """ceil(n / limit) pages per window of one listing, and one for a window without postings. `has_next` is
    exact, so a full last page costs no extra request. Over several windows each window's postings are counted
    by the moment the listing filters on: `created_at` (FBO), else `in_process_at` from the raw record (FBS)."""
    if len(windows) == 1:
        n = await conn.fetchval("SELECT count(*) FROM ozon_postings WHERE shop_id = $1 AND scheme = $2", shop_id, scheme)
        return max(1, math.ceil(n / POSTING_PAGE))
    moments = []
    async with conn.transaction():
        async for row in conn.cursor("SELECT created_at, raw FROM ozon_postings WHERE shop_id = $1 AND scheme = $2",
                                     shop_id, scheme):
            moment = row["created_at"] or dt.datetime.fromisoformat(
                json.loads(zlib.decompress(row["raw"]))["in_process_at"].replace("Z", "+00:00"))
            moments.append(moment)
    moments.sort()
    counts = [bisect_right(moments, hi) - bisect_left(moments, lo) for lo, hi in windows]  # shared ends: both
    return sum(max(1, math.ceil(n / POSTING_PAGE)) for n in counts)


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--profile", default="large")
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    from stpulse.adapters.db.migrate import upgrade

    name, url = await create_db(args.pg)
    sandbox, sandbox_url = start_sandbox(args.profile)
    try:
        await asyncio.to_thread(upgrade, url)
        first, last = month_back(SANDBOX_TODAY, args.months), SANDBOX_TODAY
        print(f"sync {args.profile}, {first} — {last}, PostgreSQL {name}", flush=True)
        (run, shop_id), elapsed = await run_sync(url, sandbox_url, first, last)
        if run is None or run.status != "done":
            raise SystemExit(f"sync failed: {run}")
        minimum = await minimum_requests(url, shop_id, first, last)
    finally:
        sandbox.kill()
        await drop_db(args.pg, name)
    report(run, elapsed, minimum)


def report(run: Any, elapsed: float, minimum: dict[str, int]) -> None:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result = {"lines": run.lines, "seconds": round(elapsed, 1), "lines_per_s": round(run.lines / elapsed),
              "api_requests": run.requests, "min_api_requests": sum(minimum.values()), "peak_rss_mb": round(peak, 1)}
    print(f"accrual lines: {run.lines} in {elapsed:.1f} s -> {result['lines_per_s']} lines/s")
    print(f"API requests: {run.requests} made, {result['min_api_requests']} minimum ({minimum})")
    print(f"peak RSS: {peak:.1f} MB")
    print(json.dumps(result))


if __name__ == "__main__":
    asyncio.run(main())
