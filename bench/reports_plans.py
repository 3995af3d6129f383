"""The reports bench's plan check: every statement a computed report sends, executed again and again in one
connection — the 1st, 6th and 100th execution timed (PostgreSQL switches a prepared statement to a generic plan on
its sixth execution; issue 17's cliff was a 12× slower generic plan)."""

from __future__ import annotations

import dataclasses
import time
from typing import Any

import asyncpg
from sqlalchemy import event

from stpulse.adapters.db.ledger import rollup_packs
from stpulse.adapters.db.reports import content_cache
from stpulse.application.accounts.actor import Actor
from stpulse.application.reports.cache import ESTIMATES, ReportCache, TableCache
from stpulse.application.reports.views import ReportRequest, build_report
from stpulse.domain.reports.registry import REPORTS

EXECUTIONS = 100
TIMED = (1, 6, 100)


Statements = dict[str, tuple[tuple[str, ...], tuple[Any, ...]]]


async def report_statements(container: Any, actor: Actor, req: ReportRequest) -> Statements:
    """Every SELECT the registered reports send when nothing is cached → the settings it runs under (the
    transaction's `SET LOCAL`s before it) and the parameters of its first use."""
    content_cache.clear()
    rollup_packs.CACHE.clear()
    ESTIMATES.clear()  # ОПиУ's estimates by order date
    deps = dataclasses.replace(container.deps, report_cache=ReportCache(TableCache()))
    seen: Statements = {}

    settings: list[str] = []  # the transaction's SET LOCALs so far: the statement runs under them

    def record(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        head = statement.lstrip().upper()
        if head.startswith("SET LOCAL"):
            settings.append(statement.strip().replace("LOCAL ", "", 1))
        elif head.startswith(("SELECT", "WITH")):
            seen.setdefault(statement, (tuple(settings), tuple(parameters or ())))
        elif head.startswith(("COMMIT", "ROLLBACK")):
            settings.clear()

    engine = container.database.engine.sync_engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        for code in REPORTS:
            await build_report(deps, actor, code, req)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return seen


async def execution_times(dsn: str, statements: Statements) -> list[tuple[str, list[float]]]:
    """Per statement, in one connection, the milliseconds of its executions number 1, 6 and 100."""
    conn = await asyncpg.connect(dsn)
    out = []
    try:
        for sql, (settings, params) in statements.items():
            await conn.execute("RESET ALL")
            for setting in settings:
                await conn.execute(setting)
            prepared = await conn.prepare(sql)
            times = []
            for n in range(1, EXECUTIONS + 1):
                t0 = time.perf_counter()
                await prepared.fetch(*params)
                if n in TIMED:
                    times.append(round((time.perf_counter() - t0) * 1000, 2))
            out.append((" ".join(sql.split())[:90], times))
    finally:
        await conn.close()
    return out


async def plan_figures(container: Any, dsn: str, actor: Actor, req: ReportRequest, figures: dict[str, object]) -> None:
    for i, (sql, (first, sixth, last)) in enumerate(await execution_times(
            dsn, await report_statements(container, actor, req)), start=1):
        print(f"query {i:>2}: 1st {first:>8} ms, 6th {sixth:>8} ms, 100th {last:>8} ms   {sql}")
        figures[f"query{i}_ms"] = [first, sixth, last]
    figures["query_6th_over_1st_max"] = max(
        (v[1] / max(v[0], 0.01) for k, v in figures.items() if k.startswith("query") and isinstance(v, list)),
        default=0.0)
