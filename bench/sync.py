"""Benchmark: a 12-month sync of the large sandbox seller into PostgreSQL (the sandbox in its own process).

    .venv/bin/python bench/sync.py [--profile large] [--months 12] [--runs 3] [--no-dramatiq]
                                   [--pg postgresql://postgres@127.0.0.1:5432/test] [--redis redis://127.0.0.1:6379/1]

`--runs` direct syncs (`sync_shop` called in this process, each into a new database), then one more through the
real Dramatiq path: connecting the shop enqueues its backfill on a Redis broker (its own namespace), a Dramatiq worker
in this process runs the `sync_shop` actor, timed until the run is done. Prints per run accrual lines and accrual
documents per second, API requests made against the minimum the page limits allow — computed from the sandbox's own
totals (its day tables and ground truth for the same seed, profile and today), not from what the sync stored — and
peak memory; then the median of the direct runs. The last line is a JSON object (lines_per_s, docs_per_s,
api_requests, min_api_requests, seconds: medians; runs; dramatiq; peak_rss_mb).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import math
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
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


def sandbox_totals(profile: str, first: dt.date, last: dt.date) -> tuple[dict[str, int], int]:
    """(what the page limits force, computed from the sandbox's own data; accrual documents in the period).

    The world is the one the sandbox serves (seed 1, this profile, its today): accrual pages per day from each day
    table's accruals, posting pages per listing window from the ground truth's postings created in it, return pages
    from its return records, product and stock requests from its catalogue."""
    from stpulse.adapters.ozon import paging as pg
    from stpulse.adapters.sandbox.ozon.config import DEFAULT_HISTORY_DAYS
    from stpulse.adapters.sandbox.ozon.ground_truth import ground_truth
    from stpulse.adapters.sandbox.ozon.world import SellerWorld
    from stpulse.application.ozon.sync_plan import bounds

    world = SellerWorld(1, profile, SANDBOX_TODAY, history_days=DEFAULT_HISTORY_DAYS)
    per_day = [world.day_table(day).n_accruals for day in world.days(first, last)]
    windows = pg.span_chunks(*bounds(first, last), pg.POSTINGS_MAX_SPAN)  # Ozon refuses a period over a year
    fbo = fbs = 0
    for lo, hi in windows:  # postings counted by the Moscow day they were created, per window
        gt = ground_truth(world, max(lo.date(), first), min(hi.date(), last))
        fbo += max(1, math.ceil(gt.postings_fbo / POSTING_PAGE))
        fbs += max(1, math.ceil(gt.postings_fbs / POSTING_PAGE))
    gt = ground_truth(world, first, last)
    cat = world.catalog
    products, skus = cat.n, len({int(s) for s in cat.sku if int(s) != 0})
    return {
        "accruals": sum(max(1, math.ceil(n / ACCRUAL_PAGE)) for n in per_day),
        "postings_fbo": fbo,
        "postings_fbs": fbs,
        "returns": max(1, math.ceil(gt.returns / RETURNS_PAGE)),
        "products": math.ceil(products / PRODUCT_PAGE) + 1 + math.ceil(products / PRODUCT_PAGE),  # list, archived, info
        "stocks": math.ceil(skus / STOCK_SKUS),
        "accrual_types": 1,  # /v1/finance/accrual/types, once a Moscow day
    }, sum(per_day)


async def one_run(pg: str, sandbox_url: str, first: dt.date, last: dt.date, months: int, redis: str | None
                  ) -> dict[str, Any]:
    """A sync into a new database: direct (`redis` None) or through Dramatiq; its lines, requests and seconds."""
    from stpulse.adapters.db.migrate import upgrade

    name, url = await create_db(pg)
    try:
        await asyncio.to_thread(upgrade, url)
        if redis is None:
            (run, _), elapsed = await run_sync(url, sandbox_url, first, last)
        else:
            from bench.sync_dramatiq import run_through_dramatiq

            run, elapsed = await run_through_dramatiq(url, redis, sandbox_url, SANDBOX_TODAY, months)
        if run is None or run.status != "done":
            raise SystemExit(f"sync failed: {run}")
    finally:
        await drop_db(pg, name)
    return {"lines": run.lines, "requests": run.requests, "seconds": elapsed}


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--profile", default="large")
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-dramatiq", action="store_true")
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/1")
    args = parser.parse_args()
    first, last = month_back(SANDBOX_TODAY, args.months), SANDBOX_TODAY
    minimum, documents = sandbox_totals(args.profile, first, last)
    sandbox, sandbox_url = start_sandbox(args.profile)
    runs, through_dramatiq = [], None
    try:
        for i in range(args.runs):
            print(f"sync {i + 1}/{args.runs}: {args.profile}, {first} — {last}, direct", flush=True)
            runs.append(await one_run(args.pg, sandbox_url, first, last, args.months, None))
        if not args.no_dramatiq:
            print(f"sync through Dramatiq: {args.profile}, {first} — {last}", flush=True)
            through_dramatiq = await one_run(args.pg, sandbox_url, first, last, args.months, args.redis)
    finally:
        sandbox.kill()
    report(runs, through_dramatiq, minimum, documents)


def report(runs: list[dict[str, Any]], through_dramatiq: dict[str, Any] | None, minimum: dict[str, int],
           documents: int) -> None:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    for run in [*runs, *([through_dramatiq] if through_dramatiq else [])]:
        run["lines_per_s"] = round(run["lines"] / run["seconds"])
        run["docs_per_s"] = round(documents / run["seconds"])
        run["seconds"] = round(run["seconds"], 1)
    for i, run in enumerate(runs, start=1):
        print(f"run {i}: {run['lines']} accrual lines, {documents} accrual documents in {run['seconds']} s -> "
              f"{run['lines_per_s']} lines/s, {run['docs_per_s']} documents/s; {run['requests']} API requests")
    if through_dramatiq:
        print(f"through Dramatiq (Redis broker, the sync_shop actor): {through_dramatiq['seconds']} s -> "
              f"{through_dramatiq['lines_per_s']} lines/s, {through_dramatiq['docs_per_s']} documents/s; "
              f"{through_dramatiq['requests']} API requests")
    med = {k: statistics.median(r[k] for r in runs) for k in ("seconds", "lines_per_s", "docs_per_s", "requests")}
    result = {"bench": "sync", "lines": runs[0]["lines"], "documents": documents, "seconds": med["seconds"],
              "lines_per_s": med["lines_per_s"], "docs_per_s": med["docs_per_s"], "api_requests": med["requests"],
              "min_api_requests": sum(minimum.values()), "min_by_path": minimum, "runs": runs,
              "dramatiq": through_dramatiq, "peak_rss_mb": round(peak, 1)}
    print(f"median of {len(runs)} direct runs: {med['seconds']} s, {med['lines_per_s']} lines/s, "
          f"{med['docs_per_s']} documents/s")
    print(f"API requests: {med['requests']} made, {result['min_api_requests']} minimum from the sandbox's totals "
          f"({minimum})")
    print(f"peak RSS: {peak:.1f} MB")
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    asyncio.run(main())
