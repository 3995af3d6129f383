"""Benchmark: every registered report served from PostgreSQL rollups, beside DuckDB over the raw accrual lines.

Large sandbox profile (5,000 SKUs, ~4,000 orders a day; STPULSE_BENCH_PROFILE=medium for a quicker run), 12 months,
all shops. For every report of the registry (domain/reports/registry.py), server time around each request to the
real app (in-process ASGI, JSON API with a personal token): `<code>_p95_ms` over 20 requests, the first of them in a
process that has read nothing yet (the rest are served from the finished-table cache, see docs/reports.md), and
`<code>_computed_p95_ms` over 20 requests with EVERY per-process cache emptied before each (the finished tables,
their JSON, the decoded rollup packs, the catalogue / cost / expense / tax copies). DuckDB runs its aggregation
over the raw lines for the reports it can answer (`DUCKDB`: P&L by month × article; unit by SKU × article).
The last line is one JSON object.  Run: `python -m bench.reports` (STPULSE_BENCH_PG to point at PostgreSQL).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import asyncpg
import duckdb
import httpx
import numpy as np

from bench.reports_data import articles, daily_rollup, raw_lines, refresh_packs, write_catalog, write_rollups
from stpulse.adapters.db.ledger import rollup_packs
from stpulse.adapters.db.migrate import upgrade
from stpulse.adapters.db.reports import content_cache
from stpulse.adapters.sandbox.ozon.world import SellerWorld
from stpulse.adapters.xlsx.reports import XlsxReportWriter
from stpulse.application.accounts import api_tokens
from stpulse.application.accounts.actor import Actor
from stpulse.application.kernel.deps import new_id
from stpulse.application.reports.cache import TABLES
from stpulse.application.reports.views import ReportRequest, build_report
from stpulse.domain.accounts.legal import EntityKind, LegalEntity
from stpulse.domain.accounts.users import Account, Membership, Role, User
from stpulse.domain.ledger.articles import LedgerMapping
from stpulse.domain.reports.registry import REPORTS
from stpulse.entrypoints.bootstrap import bootstrap
from stpulse.entrypoints.settings import Settings
from stpulse.entrypoints.web.app import create_app
from stpulse.entrypoints.web.reports import api_v1

PG = os.environ.get("STPULSE_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/test")
FIRST, LAST = dt.date(2025, 9, 1), dt.date(2026, 8, 31)
MONTHS = ("2025-09", "2026-08")
PROFILE = os.environ.get("STPULSE_BENCH_PROFILE", "large")
N_REQUESTS = 20
N_COMPUTED = 20
# what DuckDB answers over the raw lines for a report (articles resolved per line before the timer)
DUCKDB = {
    "pnl": ("SELECT date_trunc('month', DATE '1970-01-01' + CAST(day AS INTEGER)) AS m, art, sum(amount) "
            "FROM lines GROUP BY 1, 2"),
    "unit": "SELECT sku, art, sum(amount), sum(abs(qty)) FILTER (WHERE comp = 0) FROM lines GROUP BY 1, 2",
}


def clear_caches() -> None:
    """Every per-process cache a report request can hit: the request then reads and computes everything."""
    TABLES.clear()
    rollup_packs.CACHE.clear()
    content_cache.clear()
    api_v1.clear_encoded()


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

    now = dt.datetime.now(dt.UTC)
    async with deps.uow() as uow:
        if await uow.subscriptions.get(actor.user.id) is None:
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


async def time_requests(client: httpx.AsyncClient, path: str, token: str, n: int = N_REQUESTS,
                        computed: bool = False) -> list[float]:
    """Server time of `n` requests; `computed`: every per-process cache is emptied before each."""
    times = []
    for _ in range(n):
        if computed:
            clear_caches()
        t0 = time.perf_counter()
        resp = await client.get(path, headers={"Authorization": f"Bearer {token}"})
        times.append((time.perf_counter() - t0) * 1000)
        assert resp.status_code == 200, resp.text[:300]
    return times


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
    settings = Settings(database_url=dsn.replace("postgresql://", "postgresql+asyncpg://"),
                        data_dir=Path(tempfile.mkdtemp()), embedded_worker=False, log_level="WARNING")
    container = bootstrap(settings)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per request would bury the figures
    t0 = time.perf_counter()
    rollup = daily_rollup(lines, articles(lines, LedgerMapping.default()))
    if loaded:
        actor, shop_id = await existing(container.deps, dsn)
    else:
        actor = await seed_owner(container.deps)
        shop_id = await add_shop(dsn, actor)
        await write_rollups(dsn, shop_id, rollup)
        await refresh_packs(container.deps, shop_id, FIRST, LAST)
        await write_catalog(dsn, actor.account_id, shop_id, world)
    load_s = time.perf_counter() - t0
    step(f"loaded {len(rollup)} daily rollup rows in {load_s:.1f} s")
    await grant_access(container.deps, actor)
    _, token = await api_tokens.create_token(container.deps, actor, "bench")
    app = create_app(settings, container)
    query = f"from={MONTHS[0]}&to={MONTHS[1]}&shops={shop_id}"
    figures: dict[str, object] = {"bench": "reports", "profile": PROFILE, "months": 12,
                                  "accrual_lines": int(lines["amount"].size), "daily_rollup_rows": int(len(rollup))}
    # the app's lifespan runs as under a real server: startup hooks, and the container closed on shutdown
    async with app.lifespan(), httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                                 base_url="http://bench") as client:
        for code in REPORTS:
            await time_report(client, container, actor, shop_id, code, f"/api/v1/reports/{code}?{query}", token,
                              figures)
    for code, runs in duckdb_times(lines).items():
        figures[f"duckdb_{code}_p50_ms"], figures[f"duckdb_{code}_p95_ms"] = round(pct(runs, 50), 1), round(
            pct(runs, 95), 1)
    print_table(figures, gen_s, load_s)


async def time_report(client: httpx.AsyncClient, container, actor: Actor, shop_id: uuid.UUID, code: str,  # type: ignore[no-untyped-def]
                      path: str, token: str, figures: dict[str, object]) -> None:
    cached = await time_requests(client, path, token)
    computed = await time_requests(client, path, token, N_COMPUTED, True)
    step(f"{code}: cached {[round(x) for x in cached]}, computed {[round(x) for x in computed]}")
    req = ReportRequest(shop_ids=(shop_id,), month_from=MONTHS[0], month_to=MONTHS[1])
    xlsx_runs = []
    for _ in range(3):
        t0 = time.perf_counter()
        view = await build_report(container.deps, actor, code, req)
        XlsxReportWriter().write_table(view.table)  # type: ignore[arg-type]
        xlsx_runs.append(time.perf_counter() - t0)
    figures.update({f"{code}_rows": len(view.table.rows),  # type: ignore[union-attr]
                    f"{code}_first_ms": round(cached[0], 1), f"{code}_p50_ms": round(pct(cached, 50), 1),
                    f"{code}_p95_ms": round(pct(cached, 95), 1),
                    f"{code}_computed_p50_ms": round(pct(computed, 50), 1),
                    f"{code}_computed_p95_ms": round(pct(computed, 95), 1),
                    f"{code}_xlsx_s": round(statistics.median(xlsx_runs), 2)})


def print_table(figures: dict[str, object], gen_s: float, load_s: float) -> None:
    print(f"{PROFILE} profile: {figures['accrual_lines']:,} accrual lines generated in {gen_s:.1f} s; "
          f"rollups loaded in {load_s:.1f} s")
    print(f"{'what':<44} {'p50':>10} {'p95':>10}")
    for code, kind in REPORTS.items():
        for label, key in (("cached", ""), ("computed, every cache emptied", "_computed")):
            p50, p95 = figures[f"{code}{key}_p50_ms"], figures[f"{code}{key}_p95_ms"]
            print(f"{kind.title + ', ' + label:<44} {p50:>7} ms {p95:>7} ms")
        if f"duckdb_{code}_p95_ms" in figures:
            p50, p95 = figures[f"duckdb_{code}_p50_ms"], figures[f"duckdb_{code}_p95_ms"]
            print(f"{kind.title + ', DuckDB over raw lines':<44} {p50:>7} ms {p95:>7} ms")
        print(f"{kind.title + ', first request of the process':<44} {figures[f'{code}_first_ms']:>7} ms")
        print(f"{kind.title + ', xlsx (build + write)':<44} {figures[f'{code}_xlsx_s']:>8} s")
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    asyncio.run(main())
