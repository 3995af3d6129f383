"""The dashboard in the reports bench (issue 16): the cabinet's home for the bench's owner, all shops — its tiles
(ОПиУ and Юнитка of three months, the drill-down of «Выручка» for three days) and its charts (ОПиУ of twelve months
and of last month, Юнитка of last month), as `/app/dashboard` computes them.

- `dash_p95_ms`: the tables in the caches the worker's warm job and earlier requests left (what a user meets);
- `dash_computed_p95_ms`: every cache emptied before each sample (this process's tables, the shared Redis store,
  the decoded packs and the per-process inputs) — the dashboard computed from the database;
- `dash_sales_<view>_p95_ms` / `dash_sales_<view>_computed_p95_ms`: the switch of «Выручка, прибыль и заказы»
  (`/app/dashboard/charts.json?chart=sales&view=day|week|month`, the JSON included), cached / every cache emptied.
Timing is printed, never asserted."""

from __future__ import annotations

import cProfile
import os
import pstats
import sys
import time
from typing import Any

from stpulse.adapters.cache.redis_tables import RedisTableStore
from stpulse.adapters.db.ledger import rollup_packs
from stpulse.adapters.db.reports import content_cache
from stpulse.application.accounts.actor import Actor
from stpulse.application.dashboard import charts, home
from stpulse.application.reports.cache import ESTIMATES, TABLES


async def _once(deps, actor: Actor) -> float:  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    await home.overview(deps, actor)  # what /app/dashboard computes: the tiles and the charts
    return (time.perf_counter() - t0) * 1000


async def _chart(deps, actor: Actor, view: str) -> float:  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    charts.chart_json(await charts.charts(deps, actor, view=view, only=("sales",)))  # what charts.json answers
    return (time.perf_counter() - t0) * 1000


async def _empty(deps: Any, store: RedisTableStore) -> None:
    await deps.report_cache.flushed()  # copies written behind the last request land before the store is emptied
    TABLES.clear()
    await store.clear()
    content_cache.clear()
    rollup_packs.CACHE.clear()
    ESTIMATES.clear()  # ОПиУ's estimates by order date


def _p95(values: list[float]) -> float:
    values = sorted(values)
    return round(values[min(len(values) - 1, int(0.95 * len(values)))], 1)


async def dash_figures(deps, actor: Actor, store: RedisTableStore, samples: int,  # type: ignore[no-untyped-def]
                       figures: dict[str, object]) -> None:
    await _once(deps, actor)  # the first request fills what a user would find filled
    if os.environ.get("STPULSE_BENCH_DASH_PROFILE"):  # where a cached dashboard spends its time (stderr)
        profiler = cProfile.Profile()
        profiler.enable()
        await _once(deps, actor)
        profiler.disable()
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(45)
    cached = [await _once(deps, actor) for _ in range(samples)]
    computed = []
    for _ in range(samples):
        await _empty(deps, store)
        computed.append(await _once(deps, actor))
    figures["dash_p95_ms"], figures["dash_computed_p95_ms"] = _p95(cached), _p95(computed)
    for view in ("day", "week", "month"):
        await _chart(deps, actor, view)
        figures[f"dash_sales_{view}_p95_ms"] = _p95([await _chart(deps, actor, view) for _ in range(samples)])
        emptied = []
        for _ in range(samples):
            await _empty(deps, store)
            emptied.append(await _chart(deps, actor, view))
        figures[f"dash_sales_{view}_computed_p95_ms"] = _p95(emptied)
