"""Benchmark: ОПиУ and Юнитка served from PostgreSQL rollups vs DuckDB over the raw accrual lines.

Large sandbox profile (5,000 SKUs, ~4,000 orders a day), 12 months. Server time is measured around each request
to the real app (in-process ASGI, JSON API with a personal token): p50/p95 of 20 requests per report, the first of
them in a process that has read nothing yet (later ones are served from the finished-table cache, see
docs/reports.md); the first request of each report and the p50 of 5 requests with the table cache emptied before
each (computed from the decoded rollups) are printed too. DuckDB runs the same aggregation (by month × article;
by SKU × article with units) over the raw lines in the same run.
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
from stpulse.adapters.db.migrate import upgrade
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
from stpulse.entrypoints.bootstrap import bootstrap
from stpulse.entrypoints.settings import Settings
from stpulse.entrypoints.web.app import create_app

PG = os.environ.get("STPULSE_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/test")
FIRST, LAST = dt.date(2025, 9, 1), dt.date(2026, 8, 31)
MONTHS = ("2025-09", "2026-08")
N_REQUESTS = 20
N_COMPUTED = 5


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
    """Server time of `n` requests; `computed`: the finished-table cache is emptied before each (the table is
    computed again from the process's decoded rollups, as after a change of costs or expenses)."""
    times = []
    for _ in range(n):
        if computed:
            TABLES.clear()
        t0 = time.perf_counter()
        resp = await client.get(path, headers={"Authorization": f"Bearer {token}"})
        times.append((time.perf_counter() - t0) * 1000)
        assert resp.status_code == 200, resp.text[:300]
    return times


def duckdb_times(lines: dict[str, np.ndarray]) -> tuple[float, float]:
    con = duckdb.connect()
    art = articles(lines, LedgerMapping.default())
    con.register("raw", {**lines, "art": art.astype(np.int16)})
    con.execute("CREATE TABLE lines AS SELECT * FROM raw")  # raw lines with the article resolved per type
    pnl_sql = ("SELECT date_trunc('month', DATE '1970-01-01' + CAST(day AS INTEGER)) AS m, art, sum(amount) "
               "FROM lines GROUP BY 1, 2")
    unit_sql = ("SELECT sku, art, sum(amount), sum(abs(qty)) FILTER (WHERE comp = 0) FROM lines GROUP BY 1, 2")
    out = []
    for sql in (pnl_sql, unit_sql):
        runs = []
        for _ in range(5):
            t0 = time.perf_counter()
            con.execute(sql).fetchall()
            runs.append((time.perf_counter() - t0) * 1000)
        out.append(statistics.median(runs))
    return out[0], out[1]


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
    world = SellerWorld(3, "large")
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
    _, token = await api_tokens.create_token(container.deps, actor, "bench")
    app = create_app(settings, container)
    query = f"from={MONTHS[0]}&to={MONTHS[1]}&shops={shop_id}"
    # the app's lifespan runs as under a real server: startup hooks, and the container closed on shutdown
    async with app.lifespan(), httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                                 base_url="http://bench") as client:
        pnl = await time_requests(client, f"/api/v1/reports/pnl?{query}", token)
        step(f"ОПиУ: {[round(x) for x in pnl]}")
        unit = await time_requests(client, f"/api/v1/reports/unit?{query}", token)
        step(f"Юнитка: {[round(x) for x in unit]}")
        pnl_computed = await time_requests(client, f"/api/v1/reports/pnl?{query}", token, N_COMPUTED, True)
        unit_computed = await time_requests(client, f"/api/v1/reports/unit?{query}", token, N_COMPUTED, True)
        step(f"computed again, ОПиУ: {[round(x) for x in pnl_computed]}, Юнитка: {[round(x) for x in unit_computed]}")
        req = ReportRequest(shop_ids=(shop_id,), month_from=MONTHS[0], month_to=MONTHS[1])
        xlsx_runs = []
        for _ in range(3):
            t0 = time.perf_counter()
            view = await build_report(container.deps, actor, "unit", req)
            XlsxReportWriter().write_table(view.table)  # type: ignore[arg-type]
            xlsx_runs.append(time.perf_counter() - t0)
    duck_pnl, duck_unit = duckdb_times(lines)
    figures = {"bench": "reports", "profile": "large", "months": 12, "accrual_lines": int(lines["amount"].size),
               "daily_rollup_rows": int(len(rollup)), "sku_rows": len(view.table.rows) - 1,  # type: ignore[union-attr]
               "pnl_p50_ms": round(pct(pnl, 50), 1), "pnl_p95_ms": round(pct(pnl, 95), 1),
               "unit_p50_ms": round(pct(unit, 50), 1), "unit_p95_ms": round(pct(unit, 95), 1),
               "pnl_first_ms": round(pnl[0], 1), "unit_first_ms": round(unit[0], 1),
               "pnl_computed_p50_ms": round(pct(pnl_computed, 50), 1),
               "unit_computed_p50_ms": round(pct(unit_computed, 50), 1),
               "duckdb_pnl_ms": round(duck_pnl, 1), "duckdb_unit_ms": round(duck_unit, 1),
               "unit_xlsx_s": round(statistics.median(xlsx_runs), 2)}
    print(f"generated {figures['accrual_lines']:,} accrual lines in {gen_s:.1f} s; loaded rollups in {load_s:.1f} s")
    print(f"{'what':<40} {'p50 / median':>14} {'p95':>10}")
    print(f"{'ОПиУ, JSON API (PostgreSQL rollups)':<40} {figures['pnl_p50_ms']:>11} ms {figures['pnl_p95_ms']:>7} ms")
    print(f"{'Юнитка, JSON API (PostgreSQL rollups)':<40} {figures['unit_p50_ms']:>11} ms {figures['unit_p95_ms']:>7} ms")
    print(f"{'ОПиУ, first request (cold process)':<40} {figures['pnl_first_ms']:>11} ms")
    print(f"{'Юнитка, first request':<40} {figures['unit_first_ms']:>11} ms")
    print(f"{'ОПиУ, computed (table cache emptied)':<40} {figures['pnl_computed_p50_ms']:>11} ms")
    print(f"{'Юнитка, computed (table cache emptied)':<40} {figures['unit_computed_p50_ms']:>11} ms")
    print(f"{'ОПиУ, DuckDB over raw lines':<40} {figures['duckdb_pnl_ms']:>11} ms")
    print(f"{'Юнитка, DuckDB over raw lines':<40} {figures['duckdb_unit_ms']:>11} ms")
    print(f"{'Юнитка xlsx, ' + str(figures['sku_rows']) + ' SKU (build + write)':<40} {figures['unit_xlsx_s']:>12} s")
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    asyncio.run(main())
