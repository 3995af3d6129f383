"""The reports bench's in-process stages: which registered reports it can build, and each one computed with every
cache emptied.

`empty_caches` is what «computed» means here: the finished tables of this process (`TABLES`) and of the shared store
(the bench's Redis database), the per-process copies of the catalogue, cost book, expenses and legal entities
(`content_cache`), the decoded monthly packs and the daily sales derived from them (`rollup_packs.CACHE`), ОПиУ's estimates by
order date (`ESTIMATES`) and the API's encoded JSON — nothing of an earlier request is left in the process. PostgreSQL's own buffers stay warm (they
are not ours to empty, and a production server keeps them too).
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from stpulse.adapters.cache.redis_tables import RedisTableStore
from stpulse.adapters.db.cash import repositories as cash_repos
from stpulse.adapters.db.ledger import rollup_packs
from stpulse.adapters.db.reports import content_cache
from stpulse.application.accounts.actor import Actor
from stpulse.application.reports.cache import ESTIMATES
from stpulse.application.reports.views import ReportRequest, build_report
from stpulse.application.reports.warm import warm_reports
from stpulse.domain.reports.registry import REPORTS
from stpulse.domain.reports.table import Table
from stpulse.entrypoints.web.reports import api_v1

BENCH_INPUTS = frozenset({"catalog", "costs", "opex", "tax", "settlement", "cash", "orders", "sales", "returns",
                          "stock", "stock_history", "supply", "ads", "estimate"})  # inputs the bench writes data for
# (reports_data; reports_settlement: the settlement tables and balances; reports_cash: the ДДС entries; reports_ops:
# posting lines, their monthly sums and returns — with the rollups, ОПиУ's estimate by order date; reports_stock: stock history, last year's orders, supplies; reports_ads: ad statistics).
# Not written: План's targets (`plan`: the fact and forecast are computed, no target rows) and «Выкупы Озоном»
# line by line (`buyouts`: the rollups carry their money).


async def empty_caches(deps: Any, store: RedisTableStore) -> None:
    await deps.report_cache.flushed()  # the last request's shared copy, written behind its answer, lands first
    deps.report_cache.local.clear()
    await store.clear()
    content_cache.clear()
    rollup_packs.CACHE.clear()
    ESTIMATES.clear()  # ОПиУ's estimates by order date
    api_v1.clear_encoded()
    cash_repos.forget()  # the ДДС's decoded Ozon months


async def probe(deps: Any, store: RedisTableStore, actor: Actor, req: ReportRequest
                ) -> tuple[list[str], dict[str, str], dict[str, str]]:
    """Build every registered report once: (the codes that build, code → why it is skipped, code → a note on the
    inputs the bench writes no data for — they are read, empty)."""
    codes, skipped, notes = [], {}, {}
    for code, kind in REPORTS.items():
        missing = sorted(str(i) for i in kind.inputs if str(i) not in BENCH_INPUTS)
        if missing:
            notes[code] = f"no bench data for {', '.join(missing)} (read empty)"
        try:
            await empty_caches(deps, store)
            view = await build_report(deps, actor, code, req)
        except Exception as exc:  # noqa: BLE001 - a report the bench cannot build yet is skipped, not fatal
            skipped[code] = f"{type(exc).__name__}: {str(exc)[:200]}"
            continue
        if view.table is None:
            skipped[code] = "no table (no shop visible)"
            continue
        codes.append(code)
    return codes, skipped, notes


async def empty_tables(deps: Any, store: RedisTableStore) -> None:
    """Only the finished tables (this process's, the shared store's and the API's encoded JSON): what the first
    benches emptied for «computed» — the decoded packs, the per-process inputs and ОПиУ's estimates by order date
    (`ESTIMATES`: they follow the data, not the table) stay warm."""
    await deps.report_cache.flushed()
    deps.report_cache.local.clear()
    await store.clear()
    api_v1.clear_encoded()


async def computed(deps: Any, store: RedisTableStore, actor: Actor, req: ReportRequest, codes: list[str],
                   samples: int, tables_only: bool = False) -> tuple[dict[str, list[float]], dict[str, Table]]:
    """Per report, `samples` builds in this process, every cache emptied before each (`tables_only`: only the
    finished tables): the times, and the last table (for DuckDB's check)."""
    times: dict[str, list[float]] = {}
    tables: dict[str, Table] = {}
    for code in codes:
        runs = []
        for _ in range(samples):
            await (empty_tables if tables_only else empty_caches)(deps, store)
            t0 = time.perf_counter()
            view = await build_report(deps, actor, code, req)
            runs.append((time.perf_counter() - t0) * 1000)
            assert view.table is not None
            tables[code] = view.table
        times[code] = runs
    return times, tables


async def in_process(deps: Any, actor: Actor, req: ReportRequest, codes: list[str],
                     samples: int) -> dict[str, list[float]]:
    """Per report, `samples` requests of the use case in this process, one at a time, with the caches as the worker's
    warm job and the earlier requests left them (no HTTP, no concurrency)."""
    times: dict[str, list[float]] = {}
    for code in codes:
        times[code] = []
        for _ in range(samples):
            t0 = time.perf_counter()
            await build_report(deps, actor, code, req)
            times[code].append((time.perf_counter() - t0) * 1000)
    return times


async def in_process_figures(deps: Any, store: RedisTableStore, actor: Actor, req: ReportRequest, codes: list[str],
                             samples: int, stages: set[str], figures: dict[str, object]) -> None:
    """The first benches' figures: «computed» with only the finished tables emptied (stage `retable`, p50) and
    «cached» as the use case alone, one client (stage `inproc`, p95)."""
    if "retable" in stages:
        for code, runs in (await computed(deps, store, actor, req, codes, samples, tables_only=True))[0].items():
            figures[f"{code}_retable_p50_ms"] = round(float(np.percentile(runs, 50)), 1)
    if "inproc" in stages:
        await warm_reports(deps, req.shop_ids[0])
        for code, runs in (await in_process(deps, actor, req, codes, samples)).items():
            figures[f"{code}_inproc_p95_ms"] = round(float(np.percentile(runs, 95)), 1)
