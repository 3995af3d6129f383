"""Load benchmark: the web cabinet under many sessions reading the Юнитка page, then a burst.

Seeds a sandbox seller's year (STPULSE_BENCH_PROFILE, default medium) into a fresh PostgreSQL database, starts
`stpulse serve --workers 2` on loopback, and drives `locust` headless: N sessions, each opening the report page
every 5 s for a fixed time → p50, p99, errors; then N simultaneous requests → burst p99 and errors. Bounded: at most
1,000 sessions and 10 minutes, loopback only. The last line is one JSON object with p50_ms, p99_ms, errors,
burst_p99_ms, burst_errors, and cpu_ms_per_request: the CPU the web processes, locust and PostgreSQL spent
during the sessions per request (PostgreSQL's: every postgres process of the machine).  Run: `python -m bench.load --users 200 --seconds 120`.

Each session starts at a random point of the 5 s pacing, as independent people do, and then opens the page
every 5 s (`arrivals: independent` in the JSON). `--lockstep` keeps locust's own spawn rhythm instead: 1/10 of the
sessions start at once every second and stay in step, so N sessions arrive as groups of N/5 simultaneous requests
every second — the figure the first runs printed; the burst below is the fully simultaneous case.

Seeding the large profile takes minutes: STPULSE_BENCH_KEEP=1 keeps the seeded database (its name is printed) and
STPULSE_BENCH_DB=<name> reuses it (no seeding: the session is signed in again, the shop and the pages are read from
it); a reused database is kept too — drop it yourself when done.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import logging
import os
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import asyncpg
import httpx
import msgspec
import psutil

from bench.reports import FIRST, LAST, MONTHS
from bench.reports_data import articles, daily_rollup, raw_lines, refresh_packs, write_catalog, write_rollups
from bench.reports_setup import PG, add_shop, create_db, drop_db, seed_owner, step
from stpulse.adapters.db.migrate import upgrade
from stpulse.adapters.sandbox.ozon.world import SellerWorld
from stpulse.adapters.security.passwords import Argon2Hasher
from stpulse.application.accounts.identity import Login, login
from stpulse.domain.ledger.articles import LedgerMapping
from stpulse.domain.reports.table import PAGE_ROWS
from stpulse.entrypoints.bootstrap import bootstrap
from stpulse.entrypoints.settings import Settings

HOST = "127.0.0.1"  # loopback only
PASSWORD = "load-bench-password-1"  # noqa: S105 - a throwaway database's user
MAX_USERS, MAX_SECONDS = 1000, 600
CLI = [sys.executable, "-c", "from stpulse.entrypoints.cli.app import main; main()"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def _container(url: str):  # type: ignore[no-untyped-def]
    settings = Settings(database_url=url.replace("postgresql://", "postgresql+asyncpg://"),
                        data_dir=Path(tempfile.mkdtemp()), embedded_worker=False, log_level="WARNING")
    return bootstrap(settings)


async def seed(url: str, profile: str) -> tuple[str, str, int]:
    """The seller's year in the database; returns (session cookie, report path, pages of the Юнитка)."""
    world = SellerWorld(3, profile)
    lines = raw_lines(world, FIRST, LAST)
    container = _container(url)
    actor = await seed_owner(container.deps)  # with a year of access: the tariff policy answers 402 without it
    async with container.deps.uow() as uow:
        user = await uow.users.by_email("bench@example.ru")
        await uow.users.update(msgspec.structs.replace(user, password_hash=Argon2Hasher().hash(PASSWORD)))
        await uow.commit()
    shop_id = await add_shop(url, actor)
    await write_rollups(url, shop_id, daily_rollup(lines, articles(lines, LedgerMapping.default())))
    await refresh_packs(container.deps, shop_id, FIRST, LAST)
    await write_catalog(url, actor.account_id, shop_id, world)
    signed = await login(container.deps, Login(email="bench@example.ru", password=PASSWORD))
    await container.close()
    skus = world.catalog.n
    path = f"/app/reports/unit?from={MONTHS[0]}&to={MONTHS[1]}&shops={shop_id}"
    return signed.session_token, path, max(1, -(-skus // PAGE_ROWS))


async def reuse(url: str) -> tuple[str, str, int]:
    """A kept database's (session cookie, report path, pages): a new session, its one shop and its products."""
    conn = await asyncpg.connect(url)
    try:
        shop_id = await conn.fetchval("SELECT id FROM shops")
        skus = await conn.fetchval("SELECT count(*) FROM ozon_products WHERE shop_id = $1", shop_id)
    finally:
        await conn.close()
    container = _container(url)
    signed = await login(container.deps, Login(email="bench@example.ru", password=PASSWORD))
    await container.close()
    path = f"/app/reports/unit?from={MONTHS[0]}&to={MONTHS[1]}&shops={shop_id}"
    return signed.session_token, path, max(1, -(-skus // PAGE_ROWS))


def serve(url: str, port: int, data_dir: Path) -> subprocess.Popen:  # type: ignore[type-arg]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STPULSE_", "PROMETHEUS_"))}
    env |= {"STPULSE_MODE": "embedded", "STPULSE_DATABASE_URL": url.replace("postgresql://", "postgresql+asyncpg://"),
            "STPULSE_DATA_DIR": str(data_dir), "STPULSE_EMBEDDED_WORKER": "false", "STPULSE_LOG_LEVEL": "WARNING",
            "STPULSE_BASE_URL": f"http://{HOST}:{port}", "STPULSE_SANDBOX_ENABLED": "false"}
    proc = subprocess.Popen([*CLI, "serve", "--host", HOST, "--port", str(port), "--workers", "2"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            httpx.get(f"http://{HOST}:{port}/auth/login", timeout=2)
            return proc
        except httpx.HTTPError:
            time.sleep(0.5)
    raise SystemExit("stpulse serve did not start")


def _cpu_s(procs: list[psutil.Process]) -> dict[int, float]:
    seconds = {}
    for p in procs:
        try:
            t = p.cpu_times()
            seconds[p.pid] = t.user + t.system
        except psutil.Error:
            pass
    return seconds


def _spent(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds between two readings; a process born in between counts whole (one gone in between is lost)."""
    return sum(s - before.get(pid, 0.0) for pid, s in after.items())


def _postgres() -> list[psutil.Process]:
    return [p for p in psutil.process_iter(["name"]) if p.info["name"] == "postgres"]


def run_locust(base: str, cookie: str, path: str, pages: int, users: int, seconds: int, out: Path,
               dephase: bool = False, server: int | None = None) -> dict:
    """The sessions' figures, and where the CPU went per request (ms): the web processes', locust's (this
    process's waited-for children) and PostgreSQL's (every postgres process: the machine's, not only this bench's)."""
    web = psutil.Process(server).children(recursive=True) if server else []
    web0, pg0, kids0 = _cpu_s(web), _cpu_s(_postgres()), resource.getrusage(resource.RUSAGE_CHILDREN)
    env = {**os.environ, "STPULSE_LOAD_COOKIE": cookie, "STPULSE_LOAD_PATH": path, "STPULSE_LOAD_PAGES": str(pages),
           "STPULSE_LOAD_DEPHASE": "1" if dephase else ""}
    locustfile = Path(__file__).with_name("locustfile.py")
    subprocess.run([sys.executable, "-m", "locust", "-f", str(locustfile), "--headless", "--host", base,
                    "-u", str(users), "-r", str(max(1, users // 10)), "-t", f"{seconds}s", "--csv", str(out / "load"),
                    "--only-summary", "--loglevel", "WARNING", "--stop-timeout", "10"],
                   env=env, check=False, timeout=seconds + 120, stdout=subprocess.DEVNULL)
    kids1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    web_s, pg_s = _spent(web0, _cpu_s(web)), _spent(pg0, _cpu_s(_postgres()))
    client_s = kids1.ru_utime + kids1.ru_stime - kids0.ru_utime - kids0.ru_stime
    with (out / "load_stats.csv").open() as f:
        row = next(r for r in csv.DictReader(f) if r["Name"] == "Aggregated")
    n = max(1, int(row["Request Count"]))
    return {"requests": int(row["Request Count"]), "errors": int(row["Failure Count"]),
            "p50_ms": float(row["50%"]), "p99_ms": float(row["99%"]),
            "cpu_ms_per_request": {"web": round(web_s * 1000 / n, 1), "locust": round(client_s * 1000 / n, 1),
                                   "postgres": round(pg_s * 1000 / n, 1)}}


async def burst(base: str, cookie: str, path: str, n: int) -> dict:
    limits = httpx.Limits(max_connections=n, max_keepalive_connections=0)
    async with httpx.AsyncClient(base_url=base, cookies={"stp_session": cookie}, limits=limits,
                                 timeout=120) as client:
        async def one() -> tuple[float, bool]:
            t0 = time.perf_counter()
            try:
                resp = await client.get(path)
                ok = resp.status_code == 200 and len(resp.content) <= 200 * 1024
            except httpx.HTTPError:
                ok = False
            return (time.perf_counter() - t0) * 1000, ok

        results = await asyncio.gather(*(one() for _ in range(n)))
    times = sorted(t for t, _ in results)
    return {"burst_p99_ms": round(times[min(len(times) - 1, int(len(times) * 0.99))], 1),
            "burst_errors": sum(1 for _, ok in results if not ok)}


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--lockstep", action="store_true",
                        help="locust's spawn rhythm: sessions in groups of N/10 that stay in step (default: each "
                             "session starts at a random point of the 5 s pacing)")
    args = parser.parse_args()
    users, seconds = min(args.users, MAX_USERS), min(args.seconds, MAX_SECONDS)
    profile = os.environ.get("STPULSE_BENCH_PROFILE", "medium")
    kept = os.environ.get("STPULSE_BENCH_DB")
    name, url = (kept, f"{PG.rsplit('/', 1)[0]}/{kept}") if kept else await create_db()
    proc = None
    try:
        if kept:
            step(f"reusing {kept} (its profile, not STPULSE_BENCH_PROFILE's)")
            cookie, path, pages = await reuse(url)
        else:
            await asyncio.to_thread(upgrade, url.replace("postgresql://", "postgresql+asyncpg://"))
            step(f"seeding the {profile} profile")
            cookie, path, pages = await seed(url, profile)
        port = _free_port()
        work = Path(tempfile.mkdtemp())
        logging.getLogger("httpx").setLevel(logging.WARNING)  # a line per request would bury the figures
        proc = await asyncio.to_thread(serve, url, port, work)
        base = f"http://{HOST}:{port}"
        first = await asyncio.to_thread(httpx.get, base + path, cookies={"stp_session": cookie}, timeout=120)
        step(f"report page: {first.status_code}, {len(first.content) / 1024:.0f} KB, {pages} pages")
        step(f"{users} sessions for {seconds} s")
        figures = await asyncio.to_thread(run_locust, base, cookie, path, pages, users, seconds, work, not args.lockstep,
                                          proc.pid)
        step(f"burst of {users}")
        figures |= await burst(base, cookie, path, users)
        figures = {"bench": "load", "profile": profile, "sessions": users, "seconds": seconds,
                   "arrivals": "lockstep" if args.lockstep else "independent",
                   "page_kb": round(len(first.content) / 1024, 1), **figures}
        print(f"sessions: p50 {figures['p50_ms']} ms, p99 {figures['p99_ms']} ms, {figures['errors']} errors of "
              f"{figures['requests']}; CPU per request (ms): {figures['cpu_ms_per_request']}; burst: p99 {figures['burst_p99_ms']} ms, {figures['burst_errors']} errors")
        print(json.dumps(figures))
    finally:
        if proc is not None:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)
        if kept or os.environ.get("STPULSE_BENCH_KEEP"):
            step(f"database kept: {name}")
        else:
            await drop_db(name)


if __name__ == "__main__":
    asyncio.run(main())
