"""Benchmark: every registered report as the cabinet's users meet it, beside DuckDB over the raw accrual lines.

Large sandbox profile (5,000 SKUs, ~4,000 orders a day; STPULSE_BENCH_PROFILE=medium for a quicker run), 12 months,
all shops. Requests go over TCP to two uvicorn web processes (JSON API, personal token) that share the report store
in Redis (STPULSE_BENCH_REDIS); the bench process plays the worker. Per report of the registry, p95 over
STPULSE_BENCH_SAMPLES (20) samples each:
- `<code>_cold_ms`: the first request of the report in a new pair of processes (restarted before every sample,
  STPULSE_BENCH_COLD_SAMPLES of them; the reports take turns going first), the store as the worker left it; `<code>_cold_unwarmed_ms`: the same with the store emptied (nothing warm at all).
- `<code>_changed_p95_ms` / `<code>_changed12_p95_ms`: the first request after a real change written through the
  sync's own writer (one day re-written in one month / in each of the twelve, `rollup rebuild` + new pack stamps) and
  the worker's `warm_reports` job after it (its time: `warm_1_p95_s`, `warm_12_p95_s`); `..._unwarmed_...`: the
  request right after the write, before any job (a user faster than the worker).
- `<code>_p95_ms`: cached, eight concurrent clients, 25 requests each.
DuckDB runs its aggregation over the raw lines for the reports it can answer (`DUCKDB`; articles resolved before the
timer, no cost of goods, expenses or tax: NOT the same question yet). The last line is one JSON object.
Run: `python -m bench.reports` (STPULSE_BENCH_PG to point at PostgreSQL).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

import asyncpg
import duckdb
import numpy as np

from bench.reports_ads import write_ads
from bench.reports_computed import computed
from bench.reports_data import (
    articles,
    daily_rollup,
    raw_lines,
    refresh_packs,
    rewrite_days,
    write_catalog,
    write_rollups,
)
from bench.reports_http import WebServer, concurrent, first_request
from bench.reports_plans import plan_figures
from stpulse.adapters.cache.redis_tables import RedisTableStore
from stpulse.adapters.db.migrate import upgrade
from stpulse.adapters.sandbox.ozon.world import SellerWorld
from stpulse.application.accounts import api_tokens
from stpulse.application.accounts.actor import Actor
from stpulse.application.kernel.deps import new_id
from stpulse.application.reports.views import ReportRequest
from stpulse.application.reports.warm import warm_reports
from stpulse.domain.accounts.legal import EntityKind, LegalEntity
from stpulse.domain.accounts.users import Account, Membership, Role, User
from stpulse.domain.kernel.period import day_number
from stpulse.domain.ledger.articles import LedgerMapping
from stpulse.domain.reports.registry import REPORTS
from stpulse.entrypoints.bootstrap import bootstrap
from stpulse.entrypoints.settings import Settings

PG = os.environ.get("STPULSE_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/test")
FIRST, LAST = dt.date(2025, 9, 1), dt.date(2026, 8, 31)
MONTHS = ("2025-09", "2026-08")
PROFILE = os.environ.get("STPULSE_BENCH_PROFILE", "large")
REDIS = os.environ.get("STPULSE_BENCH_REDIS", "redis://127.0.0.1:6379/15")
N_REQUESTS = int(os.environ.get("STPULSE_BENCH_SAMPLES", "20"))
N_COLD = int(os.environ.get("STPULSE_BENCH_COLD_SAMPLES", str(N_REQUESTS)))  # a restart costs ~20 s on 2 busy cores
# what DuckDB answers over the raw lines for a report (articles resolved per line before the timer)
DUCKDB = {
    "pnl": ("SELECT date_trunc('month', DATE '1970-01-01' + CAST(day AS INTEGER)) AS m, art, sum(amount) "
            "FROM lines GROUP BY 1, 2"),
    "unit": "SELECT sku, art, sum(amount), sum(abs(qty)) FILTER (WHERE comp = 0) FROM lines GROUP BY 1, 2",
}


class BenchClock:
    """The worker's «now» at the end of the bench's twelve months (its warm job builds this month and the year)."""

    def now(self) -> dt.datetime:
        return dt.datetime(2026, 8, 31, 9, 0, tzinfo=dt.UTC)


async def create_db() -> tuple[str, str]:
    name = f"stpulse_bench_{uuid.uuid4().hex[:8]}"
    conn = await asyncpg.connect(PG)
    await conn.execute(f'CREATE DATABASE "{name}"')
    await conn.close()
    base = PG.rsplit("/", 1)[0]
    return name, f"{base}/{name}"


async def drop_db(name: str) -> None:
    conn = await asyncpg.connect(PG)
    await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await conn.close()


async def seed_owner(deps) -> Actor:  # type: ignore[no-untyped-def]
    user = User(id=new_id(), email="bench@example.ru", full_name="Бенчмарк", password_hash="x",
                email_confirmed_at=dt.datetime.now(dt.UTC), created_at=dt.datetime.now(dt.UTC))
    account = Account(id=new_id(), name="Бенчмарк", owner_id=user.id)
    membership = Membership(id=new_id(), account_id=account.id, user_id=user.id, role=Role.OWNER)
    entity = LegalEntity(id=new_id(), account_id=account.id, kind=EntityKind.IP, name="ИП Бенч", inn="500100732259")
    async with deps.uow() as uow:
        await uow.users.add(user)
        await uow.accounts.add(account)
        await uow.memberships.add(membership)
        await uow.legal_entities.add(entity)
        await uow.commit()
    return Actor(user=user, account=account, membership=membership)


async def grant_access(deps, actor: Actor) -> None:  # type: ignore[no-untyped-def]
    """A year of the richest tariff (API access, 36 months of history): the tariff policy gates the API."""
    from stpulse.domain.billing import Subscription

    now = deps.clock.now()  # the bench's clock (the sandbox's today), as the policy reads it
    async with deps.uow() as uow:
        found = await uow.subscriptions.get(actor.user.id)
        if found is None or not found.entries:  # none yet, or the empty one a read of the policy leaves
            sub = Subscription.new(user_id=actor.user.id, tariff_code="pro", now=now)
            await uow.subscriptions.save(sub.start_trial(now=now, days=365))
            await uow.commit()


async def add_shop(dsn: str, actor: Actor) -> uuid.UUID:
    shop_id = uuid.uuid4()
    conn = await asyncpg.connect(dsn)
    async with conn.transaction():
        entity = await conn.fetchval("SELECT id FROM legal_entities WHERE account_id = $1", actor.account_id)
        await conn.execute(
            "INSERT INTO shops (id, account_id, name, client_id, api_key_encrypted, status, legal_entity_id, "
            "created_at, updated_at) VALUES ($1, $2, 'Крупный магазин', '900', 'x', 'active', $3, now(), now())",
            shop_id, actor.account_id, entity)
    await conn.close()
    return shop_id


def step(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(np.array(values), q))


def duckdb_times(lines: dict[str, np.ndarray]) -> dict[str, list[float]]:
    con = duckdb.connect()
    art = articles(lines, LedgerMapping.default())
    con.register("raw", {**lines, "art": art.astype(np.int16)})
    con.execute("CREATE TABLE lines AS SELECT * FROM raw")  # raw lines with the article resolved per type
    out: dict[str, list[float]] = {}
    for code, sql in DUCKDB.items():
        runs = []
        for _ in range(N_REQUESTS):
            t0 = time.perf_counter()
            con.execute(sql).fetchall()
            runs.append((time.perf_counter() - t0) * 1000)
        out[code] = runs
    return out


async def main() -> None:
    """STPULSE_BENCH_KEEP=1 keeps the database (its name is printed) for STPULSE_BENCH_DB=<name> to reuse."""
    reuse = os.environ.get("STPULSE_BENCH_DB")
    name, url = (reuse, f"{PG.rsplit('/', 1)[0]}/{reuse}") if reuse else await create_db()
    try:
        if not reuse:
            await asyncio.to_thread(upgrade, url.replace("postgresql://", "postgresql+asyncpg://"))
        await run(url, loaded=bool(reuse))
    finally:
        if os.environ.get("STPULSE_BENCH_KEEP") or reuse:
            step(f"database kept: {name}")
        else:
            await drop_db(name)


async def existing(deps, dsn: str) -> tuple[Actor, uuid.UUID]:  # type: ignore[no-untyped-def]
    async with deps.uow() as uow:
        user = await uow.users.by_email("bench@example.ru")
        membership = (await uow.memberships.for_user(user.id))[0]
        account = await uow.accounts.get(membership.account_id)
        shop = (await uow.shops.for_account(account.id))[0]
    return Actor(user=user, account=account, membership=membership), shop.id


async def run(dsn: str, loaded: bool = False) -> None:
    t0 = time.perf_counter()
    world = SellerWorld(3, PROFILE)
    lines = raw_lines(world, FIRST, LAST)
    gen_s = time.perf_counter() - t0
    step(f"generated {lines['amount'].size} lines in {gen_s:.1f} s")
    env = {"STPULSE_DATABASE_URL": dsn.replace("postgresql://", "postgresql+asyncpg://"), "STPULSE_REDIS_URL": REDIS,
           "STPULSE_DATA_DIR": tempfile.mkdtemp(), "STPULSE_EMBEDDED_WORKER": "false", "STPULSE_LOG_LEVEL": "WARNING"}
    settings = Settings(database_url=env["STPULSE_DATABASE_URL"], redis_url=REDIS, data_dir=Path(env["STPULSE_DATA_DIR"]),
                        embedded_worker=False, log_level="WARNING")
    container = bootstrap(settings, clock=BenchClock())  # the worker: sync writes and the warm job
    logging.getLogger("httpx").setLevel(logging.WARNING)
    t0 = time.perf_counter()
    rollup = daily_rollup(lines, articles(lines, LedgerMapping.default()))
    if loaded:
        actor, shop_id = await existing(container.deps, dsn)
    else:
        actor = await seed_owner(container.deps)
        await grant_access(container.deps, actor)  # the tariff policy: an account without access is read-only
        shop_id = await add_shop(dsn, actor)
        await write_rollups(dsn, shop_id, rollup)
        await refresh_packs(container.deps, shop_id, FIRST, LAST)
        await write_catalog(dsn, actor.account_id, shop_id, world)
        await write_ads(dsn, actor.account_id, shop_id, world, FIRST, LAST)  # «Реклама»: a year of ad statistics
    load_s = time.perf_counter() - t0
    step(f"loaded {len(rollup)} daily rollup rows in {load_s:.1f} s")
    _, token = await api_tokens.create_token(container.deps, actor, "bench")
    store = RedisTableStore(REDIS)
    await store.clear()
    figures: dict[str, object] = {"bench": "reports", "profile": PROFILE, "months": 12, "samples": N_REQUESTS, "cold_samples": N_COLD,
                                  "web_processes": 2, "clients": 8, "accrual_lines": int(lines["amount"].size),
                                  "daily_rollup_rows": int(len(rollup))}
    t0 = time.perf_counter()
    await warm_reports(container.deps, shop_id)
    figures["warm_first_s"] = round(time.perf_counter() - t0, 2)
    req = ReportRequest(shop_ids=(shop_id,), month_from=MONTHS[0], month_to=MONTHS[1])
    await plan_figures(container, dsn, actor, req, figures)  # a line per report query: 1st, 6th, 100th execution
    for code, runs in (await computed(container.deps, actor, req, list(REPORTS), store, N_REQUESTS)).items():
        figures[f"{code}_computed_p95_ms"] = p95(runs)  # every cache emptied before each sample
        step(f"{code} computed: {[round(x) for x in runs]}")
    await warm_reports(container.deps, shop_id)
    if os.environ.get("STPULSE_BENCH_PLANS_ONLY"):
        await container.close()
        return print(json.dumps(figures, ensure_ascii=False))
    paths = {code: f"/api/v1/reports/{code}?from={MONTHS[0]}&to={MONTHS[1]}&shops={shop_id}" for code in REPORTS}
    server = WebServer(env)
    try:
        await cold(server, store, container.deps, shop_id, paths, token, figures)
        for code, path in paths.items():
            figures[f"{code}_p95_ms"] = p95(await concurrent(server.url, path, token))
        await changed(server, container.deps, shop_id, rollup, paths, token, figures)
    finally:
        server.stop()
        await store.aclose()
        await container.close()
    for code, runs in duckdb_times(lines).items():
        figures[f"duckdb_{code}_p95_ms"] = p95(runs)
    print_table(figures, gen_s, load_s)


def p95(values: list[float]) -> float:
    return round(pct(values, 95), 1)


async def cold(server: WebServer, store: RedisTableStore, deps, shop_id: uuid.UUID, paths: dict[str, str],  # type: ignore[no-untyped-def]
               token: str, figures: dict[str, object]) -> None:
    """The first request of new processes, per report: the store warm (after the worker's job), then empty."""
    for label, empty in (("cold", False), ("cold_unwarmed", True)):
        runs: dict[str, list[float]] = {code: [] for code in paths}
        for i in range(N_COLD):
            if empty:
                await store.clear()
            server.restart()
            for code in list(paths)[i % 2:] + list(paths)[:i % 2]:  # each report goes first in half the samples
                runs[code].append(await first_request(server.url, paths[code], token))
        for code in paths:
            figures[f"{code}_{label}_ms"] = p95(runs[code])
            step(f"{code} {label}: {[round(x) for x in runs[code]]}")
    await warm_reports(deps, shop_id)


async def changed(server: WebServer, deps, shop_id: uuid.UUID, rollup: np.ndarray, paths: dict[str, str],  # type: ignore[no-untyped-def]
                  token: str, figures: dict[str, object]) -> None:
    """A real change through the sync's writer (one month / all twelve), then the first request of each report:
    right after the write, and after the worker's warm job."""
    month_days = [day_number(dt.date(FIRST.year + (FIRST.month + i - 1) // 12, (FIRST.month + i - 1) % 12 + 1, 10))
                  for i in range(12)]
    bump = 0
    for label, days in (("changed", month_days[-1:]), ("changed12", month_days)):
        runs: dict[str, list[float]] = {f"{code}_{label}{w}": [] for code in paths for w in ("", "_unwarmed")}
        warm: list[float] = []
        for _ in range(N_REQUESTS):
            for code, path in paths.items():
                bump += 1
                await rewrite_days(deps, shop_id, rollup, days, bump)
                runs[f"{code}_{label}_unwarmed"].append(await first_request(server.url, path, token))
                await rewrite_days(deps, shop_id, rollup, days, -bump)
                t0 = time.perf_counter()
                await warm_reports(deps, shop_id)
                warm.append((time.perf_counter() - t0) * 1000)
                runs[f"{code}_{label}"].append(await first_request(server.url, path, token))
        figures.update({f"{name}_p95_ms": p95(values) for name, values in runs.items()})
        figures[f"warm_{len(days)}_p95_s"] = round(pct(warm, 95) / 1000, 2)
        step(f"{label}: " + ", ".join(f"{k} {[round(x) for x in v]}" for k, v in runs.items()))


def print_table(figures: dict[str, object], gen_s: float, load_s: float) -> None:
    print(f"{PROFILE} profile: {figures['accrual_lines']:,} accrual lines generated in {gen_s:.1f} s; "
          f"rollups loaded in {load_s:.1f} s; two web processes, eight clients, p95 of {N_REQUESTS} samples")
    rows = (("cached (8 clients)", "_p95_ms"), ("computed, every cache emptied (in-process)", "_computed_p95_ms"), ("first request of new processes", "_cold_ms"),
            ("  … with the shared store empty", "_cold_unwarmed_ms"),
            ("after a one-month change + warm job", "_changed_p95_ms"),
            ("  … before the warm job", "_changed_unwarmed_p95_ms"),
            ("after a twelve-month change + warm job", "_changed12_p95_ms"),
            ("  … before the warm job", "_changed12_unwarmed_p95_ms"))
    for code, kind in REPORTS.items():
        for label, key in rows:
            print(f"{kind.title + ', ' + label:<60} {figures[code + key]:>8} ms")
        if f"duckdb_{code}_p95_ms" in figures:
            print(f"{kind.title + ', DuckDB over raw lines (easier question)':<60} {figures[f'duckdb_{code}_p95_ms']:>8} ms")
    print(f"{'warm job after a one-month / twelve-month change':<60} {figures['warm_1_p95_s']:>5} / "
          f"{figures['warm_12_p95_s']} s")
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    asyncio.run(main())
