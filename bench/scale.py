"""Scale benchmark: one hourly sync of N small sandbox shops across two real `stpulse worker` processes.

Starts the sandbox in its own process serving N sellers (`stpulse sandbox --shops N --warm`, Client-Ids in a row,
seeds from --seed; `--warm`: every seller's stock history is simulated before it answers, as Ozon has its data
ready — ~0.14 s of CPU a small seller, half the sandbox's work for an hourly sync; `--cold-sandbox` leaves it to the
first stock request, inside the cycle), adds N shops to a fresh PostgreSQL database as already backfilled (synced to yesterday), starts two
`stpulse worker` processes on Redis, enqueues one sync per shop of the HOURLY kind (the recent days, not a 12-month
backfill) and waits until every run is done or failed (hard timeout). Prints the cycle time (first enqueue → last
run finished), the slowest shop's wait (enqueue → its run started) and how many syncs each worker ran; the last
line is JSON with shops, cycle_s, max_wait_s and failed. Bounded (≤ 5,000 shops, ≤ 30 minutes), loopback only;
every process, the database and the Redis database are cleaned up at the end. The bench never fails on timing.

    python -m bench.scale [--shops 1000] [--timeout 900] [--threads 8] [--logs DIR] [--cold-sandbox]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import redis

from bench.reports import PG, create_db, drop_db, seed_owner, step
from bench.sync import free_port
from stpulse.adapters.db.migrate import upgrade
from stpulse.domain.kernel.moscow import moscow_today
from stpulse.domain.ledger.shops import Shop, ShopStatus
from stpulse.entrypoints.bootstrap import bootstrap
from stpulse.entrypoints.settings import Settings
from stpulse.entrypoints.worker.schedule_slots import RedisSlots

HOST = "127.0.0.1"  # loopback only
REDIS = os.environ.get("STPULSE_TEST_REDIS", "redis://127.0.0.1:6379/11")
CLI = [sys.executable, "-c", "from stpulse.entrypoints.cli.app import main; main()"]
FIRST_CLIENT, KEY, SEED = "700000", "scale-key", 1
MAX_SHOPS, MAX_SECONDS, HOURLY = 5000, 1800, 3600
SANDBOX_START_S = 600  # a warm start builds ~0.15 s of CPU a small seller


def launch_sandbox(shops: int, warm: bool) -> tuple[subprocess.Popen[bytes], str]:
    """The sandbox in its own process; with `warm` it builds every seller's data (its two years of stock) before
    it answers — Ozon has its sellers' data ready, the stand-in would otherwise simulate it inside the cycle."""
    port = free_port()
    proc = subprocess.Popen([*CLI, "sandbox", "--host", HOST, "--port", str(port), "--profile", "small",
                             "--seed", str(SEED), "--client-id", FIRST_CLIENT, "--api-key", KEY,
                             "--shops", str(shops), *(["--warm"] if warm else [])], stdout=subprocess.DEVNULL)
    return proc, f"http://{HOST}:{port}"


def wait_ready(proc: subprocess.Popen[bytes], url: str, limit_s: float = SANDBOX_START_S) -> None:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            httpx.get(url + "/__sandbox/status", timeout=2).raise_for_status()
            return
        except httpx.HTTPError:
            time.sleep(0.5)
    proc.kill()
    raise SystemExit("the sandbox did not start")


def start_sandbox(shops: int, warm: bool = False) -> tuple[subprocess.Popen[bytes], str]:
    proc, url = launch_sandbox(shops, warm)
    wait_ready(proc, url)
    return proc, url


def worker_env(db_url: str, sandbox_url: str, secret: str, data_dir: Path) -> dict[str, str]:
    return {**os.environ, "STPULSE_MODE": "production", "STPULSE_DATABASE_URL": db_url, "STPULSE_REDIS_URL": REDIS,
            "STPULSE_SECRET_KEY": secret, "STPULSE_DATA_DIR": str(data_dir), "STPULSE_OZON_SELLER_URL": sandbox_url,
            "STPULSE_SANDBOX_ENABLED": "false", "STPULSE_BACKUP_INTERVAL_SECONDS": "0",
            "STPULSE_SYNC_HOURLY_SECONDS": str(HOURLY), "STPULSE_LOG_LEVEL": "INFO", "STPULSE_LOG_JSON": "true"}


def start_workers(env: dict[str, str], threads: int, logs: Path) -> list[tuple[subprocess.Popen[bytes], Path]]:
    workers = []
    for i in (1, 2):
        log = logs / f"worker{i}.log"
        with log.open("wb") as out:
            workers.append((subprocess.Popen([*CLI, "worker", "--threads", str(threads)], env=env,
                                             stdout=out, stderr=subprocess.STDOUT), log))
    return workers


def hold_hourly_slot() -> None:
    """The workers' schedulers would enqueue the hourly sync of every shop on start (and at the next hour): this
    period and the next are claimed here, so exactly the bench's one sync per shop runs."""
    slots, now = RedisSlots(REDIS), time.time()
    for slot in (int(now // HOURLY), int(now // HOURLY) + 1):
        slots.claim("sync_all_shops", slot, HOURLY)


async def add_shops(settings: Settings, count: int) -> list[uuid.UUID]:
    """N shops of one account, already backfilled up to yesterday, so an hourly sync reads only the recent days."""
    container = bootstrap(settings)
    deps = container.deps
    actor = await seed_owner(deps)
    now, today = dt.datetime.now(dt.UTC), moscow_today(dt.datetime.now(dt.UTC))
    ids = []
    async with deps.uow() as uow:
        for i in range(count):
            shop = Shop(id=uuid.uuid4(), account_id=actor.account_id, name=f"Магазин {i + 1}",
                        client_id=str(int(FIRST_CLIENT) + i), status=ShopStatus.ACTIVE, created_at=now,
                        synced_from=today - dt.timedelta(days=60), synced_to=today - dt.timedelta(days=1))
            await uow.shops.add(shop, deps.secrets.encrypt(KEY if i == 0 else f"{KEY}-{i}"))
            ids.append(shop.id)
        await uow.commit()
    await container.close()
    return ids


def enqueue(settings: Settings, shop_ids: list[uuid.UUID]) -> dict[str, float]:
    """One hourly sync per shop through the JobQueue port (Redis); returns each shop's enqueue instant."""
    container = bootstrap(settings)
    at = {}
    for shop_id in shop_ids:
        at[str(shop_id)] = time.time()
        container.deps.jobs.enqueue("sync_shop", shop_id=str(shop_id), kind="hourly")
    return at


async def wait_runs(dsn: str, count: int, limit_s: float) -> list[Any]:
    """Poll sync_runs until every shop has a finished run (done or failed), or the hard timeout."""
    conn = await asyncpg.connect(dsn)
    deadline, last_print = time.monotonic() + limit_s, 0.0
    try:
        while True:
            rows = await conn.fetch("SELECT shop_id, kind, status, error, requests, created_at, finished_at FROM sync_runs")
            finished = sum(1 for r in rows if r["status"] in ("done", "failed"))
            if time.monotonic() - last_print > 15:
                last_print = time.monotonic()
                step(f"runs: {len(rows)} started, {finished} of {count} finished")
            if finished >= count or time.monotonic() > deadline:
                return list(rows)
            await asyncio.sleep(2)
    finally:
        await conn.close()


def per_worker(logs: list[Path]) -> list[dict[str, int]]:
    """Syncs each worker ran, from its `sync.ended` log lines, by the run's status."""
    counts = []
    for log in logs:
        by_status: dict[str, int] = {}
        for line in log.read_text(errors="replace").splitlines():
            if '"sync.ended"' in line:
                status = json.loads(line).get("status", "?")
                by_status[status] = by_status.get(status, 0) + 1
        counts.append(by_status)
    return counts


def summary(rows: list[Any], enqueued: dict[str, float], shops: int, counts: list[dict[str, int]],
            timed_out: bool) -> dict[str, Any]:
    done = [r for r in rows if r["status"] == "done"]
    ends = [r["finished_at"].timestamp() for r in rows if r["finished_at"] is not None]
    waits = sorted((r["created_at"].timestamp() - enqueued[str(r["shop_id"])], str(r["shop_id"])) for r in rows)
    first = min(enqueued.values())
    cycle = (max(ends) - first) if ends else 0.0
    kinds = sorted({r["kind"] for r in rows})
    print(f"runs of kind {', '.join(kinds)} (hourly: the last recent days, not a 12-month backfill)")
    print(f"shops: {shops}, done {len(done)}, failed {sum(r['status'] == 'failed' for r in rows)}, "
          f"never finished {shops - len(ends)}{' (hard timeout)' if timed_out else ''}")
    print(f"cycle time (first enqueue → last run finished): {cycle:.1f} s")
    errors: dict[str, int] = {}
    for r in rows:
        if r["status"] == "failed":
            errors[r["error"] or "?"] = errors.get(r["error"] or "?", 0) + 1
    for error, n in sorted(errors.items(), key=lambda e: -e[1])[:5]:
        print(f"  failed ×{n}: {error[:200]}")
    if waits:
        print(f"slowest shop's wait (enqueue → start): {waits[-1][0]:.1f} s (shop {waits[-1][1]}); "
              f"median {waits[len(waits) // 2][0]:.1f} s")
    if done:
        spent = sorted((r["finished_at"] - r["created_at"]).total_seconds() for r in done)
        asked = sorted(r["requests"] for r in done)
        print(f"one sync (start → finished): median {spent[len(spent) // 2]:.1f} s, "
              f"{asked[len(asked) // 2]} requests to Ozon (median)")
    for i, by_status in enumerate(counts, 1):
        print(f"worker {i}: {sum(by_status.values())} syncs ({by_status})")
    return {"shops": shops, "cycle_s": round(cycle, 1), "max_wait_s": round(waits[-1][0], 1) if waits else None,
            "failed": shops - len(done), "done": len(done),
            "per_worker": [sum(c.values()) for c in counts], "kind": "hourly"}


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shops", type=int, default=1000)
    parser.add_argument("--timeout", type=float, default=900.0, help="hard limit on waiting for the runs, seconds")
    parser.add_argument("--threads", type=int, default=8, help="threads of each worker process")
    parser.add_argument("--cold-sandbox", action="store_true",
                        help="the sandbox builds each seller's data on its first request, inside the cycle")
    parser.add_argument("--logs", type=Path, default=None, help="keep the workers' logs in this folder")
    args = parser.parse_args()
    shops, timeout = min(max(1, args.shops), MAX_SHOPS), min(args.timeout, MAX_SECONDS)
    redis.Redis.from_url(REDIS).flushdb()  # this bench's own Redis database: a clean queue
    name, base = await create_db()
    dsn = base
    url = base.replace("postgresql://", "postgresql+asyncpg://")
    data_dir = Path(tempfile.mkdtemp(prefix="stpulse-scale-"))
    procs: list[subprocess.Popen[bytes]] = []
    try:
        sandbox, sandbox_url = launch_sandbox(shops, warm=not args.cold_sandbox)  # builds while the DB is set up
        procs.append(sandbox)
        await asyncio.to_thread(upgrade, url)
        secret = secrets.token_urlsafe(48)
        settings = Settings(mode="production", database_url=url, redis_url=REDIS, secret_key=secret,
                            data_dir=data_dir, ozon_seller_url=sandbox_url, sandbox_enabled=False)
        step(f"{shops} shops in PostgreSQL {name}, sandbox {sandbox_url}")
        shop_ids = await add_shops(settings, shops)
        started = time.monotonic()
        await asyncio.to_thread(wait_ready, sandbox, sandbox_url)
        step(f"sandbox ready ({'cold' if args.cold_sandbox else 'warm'}; waited {time.monotonic() - started:.0f} s "
             "after the shops were added)")
        hold_hourly_slot()
        workers = start_workers(worker_env(url, sandbox_url, secret, data_dir), args.threads, data_dir)
        procs += [proc for proc, _ in workers]
        await asyncio.sleep(3)  # let both workers connect before the queue fills (both compete from the start)
        step(f"enqueue {shops} hourly syncs; two workers × {args.threads} threads")
        enqueued = enqueue(settings, shop_ids)
        rows = await wait_runs(dsn, shops, timeout)
        finished = sum(1 for r in rows if r["status"] in ("done", "failed"))
        await asyncio.sleep(1)  # the last `sync.ended` lines reach the logs
        result = summary(rows, enqueued, shops, per_worker([log for _, log in workers]), finished < shops)
    finally:
        stop(procs)
        if args.logs is not None:
            keep_logs(data_dir, args.logs)
        await drop_db(name)
        redis.Redis.from_url(REDIS).flushdb()
        shutil.rmtree(data_dir, ignore_errors=True)  # the workers' logs and files
    print(f"PostgreSQL {PG.rsplit('/', 1)[0]}, sandbox and workers on {HOST}; cleaned up")
    print(json.dumps(result))


def keep_logs(data_dir: Path, into: Path) -> None:
    into.mkdir(parents=True, exist_ok=True)
    for log in data_dir.glob("worker*.log"):
        shutil.copy(log, into / log.name)


def stop(procs: list[subprocess.Popen[bytes]]) -> None:
    for proc in procs:
        proc.terminate()
    for proc in procs:
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


if __name__ == "__main__":
    asyncio.run(main())
