"""After a sync the worker builds the shop's reports into the store every web process reads (issue 17).

The real path: connecting a shop enqueues its backfill, the `sync_shop` actor loads it from the sandbox and
enqueues `warm_reports`, which builds ОПиУ and Юнитка of this month, last month and the last twelve into Redis (and
Операционка by month of the twelve, which the dashboard's chart reads).
Two web containers, each with its own empty first-level cache (two processes), then find every one of those tables
in the shared store on their first request, equal to a computation with every cache emptied."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterator

import pytest
from dramatiq.brokers.stub import StubBroker
from dramatiq.middleware import AsyncIO

from stpulse.adapters.cache.redis_tables import RedisTableStore
from stpulse.adapters.db.ledger import rollup_packs
from stpulse.adapters.db.reports import content_cache
from stpulse.adapters.queue.dramatiq_queue import DramatiqJobQueue
from stpulse.application.accounts.actor import Actor
from stpulse.application.dashboard import charts
from stpulse.application.reports.cache import ESTIMATES, ReportCache, TableCache
from stpulse.application.reports.views import build_report
from stpulse.application.reports.warm import warm_requests
from stpulse.entrypoints.bootstrap import Container, bootstrap
from stpulse.entrypoints.settings import Settings
from stpulse.entrypoints.worker.actors import declare_actors
from stpulse.entrypoints.worker.broker import ContainerPerLoop
from stpulse.entrypoints.worker.retries import RetryPolicy
from tests.fakes import FixedClock, PlainHasher
from tests.integration.ozon_sync import helpers as h
from tests.integration.worker.test_sync_actors import run_jobs
from tests.services import REDIS_URL, MigratedDatabases

CLIENT, KEY = "620017", "warm-test-key-620017"
CLOCK = FixedClock(dt.datetime(2026, 9, 30, 9, 0, tzinfo=dt.UTC))  # the sandbox's today


@pytest.fixture(scope="module")
def warm_db(migrated_databases: MigratedDatabases) -> Iterator[str]:
    name, url = migrated_databases.create("stpulse_warm")
    yield url
    migrated_databases.drop(name)


def web_process(settings: Settings, broker: StubBroker, shared: bool = True) -> Container:
    """A web process's container: its own first-level cache, the shared store behind it (or none)."""
    cache = ReportCache(TableCache(), RedisTableStore(REDIS_URL) if shared else None)
    return bootstrap(settings, clock=CLOCK, hasher=PlainHasher(), jobs=DramatiqJobQueue(broker), report_cache=cache)


async def first_requests(container: Container, email: str) -> list:  # type: ignore[type-arg]
    """Every warmed table, asked once by this process; each must be a hit of the shared store."""
    deps = container.deps
    actor = await _actor(deps, email)
    tables = []
    for code, req in warm_requests(deps):  # the cabinet's defaults, and Операционка by month for the dashboard
        hits, misses = deps.report_cache.shared_hits, deps.report_cache.shared_misses
        view = await build_report(deps, actor, code, req)
        assert (deps.report_cache.shared_hits, deps.report_cache.shared_misses) == (hits + 1, misses), (code, req)
        tables.append(view.table)
    await container.close()
    return tables


async def dashboard_chart_first(container: Container, email: str) -> None:
    """The dashboard's chart «Выручка, прибыль и заказы» by month, the first request of a new web process: its
    tables (ОПиУ of twelve months, Операционка by month) are shared-store hits, nothing is computed."""
    deps = container.deps
    actor = await _actor(deps, email)
    [chart] = await charts.charts(deps, actor, view="month", only=("sales",))
    assert (deps.report_cache.shared_hits, deps.report_cache.shared_misses) == (2, 0)
    assert sum(v or 0 for v in chart.series[-1].values) > 0  # the orders, in units
    await container.close()


async def _actor(deps, email: str) -> Actor:  # type: ignore[no-untyped-def]
    async with deps.uow() as uow:
        user = await uow.users.by_email(email)
        membership = (await uow.memberships.for_user(user.id))[0]
        account = await uow.accounts.get(membership.account_id)
    return Actor(user=user, account=account, membership=membership)


def test_after_a_sync_the_first_reports_of_either_web_process_are_shared_store_hits(warm_db, tmp_path):
    settings = Settings(mode="production", database_url=warm_db, data_dir=tmp_path, redis_url=REDIS_URL,
                        sync_backfill_months=12, log_json=True)
    sandbox = h.sandbox_app([(CLIENT, KEY, 17, "small")])
    broker = StubBroker()  # the real actors and JobQueue adapter; the store is Redis (settings.redis_url)
    broker.add_middleware(AsyncIO())
    declare_actors(broker, ContainerPerLoop(settings, broker, ozon=h.ozon_factory(sandbox), clock=CLOCK),
                   RetryPolicy(max_retries=1))
    email = "warm@example.com"

    async def connect() -> None:
        container = bootstrap(settings, ozon=h.ozon_factory(sandbox), clock=CLOCK, hasher=PlainHasher(),
                              jobs=DramatiqJobQueue(broker))
        actor = await h.new_actor(container.deps, email)
        await h.connect(container.deps, actor, CLIENT, KEY)  # enqueues the backfill
        await container.close()

    asyncio.run(connect())
    run_jobs(broker)  # sync_shop, then the warm_reports it enqueues
    assert not broker.dead_letters

    asyncio.run(dashboard_chart_first(web_process(settings, broker), email))
    first = asyncio.run(first_requests(web_process(settings, broker), email))
    second = asyncio.run(first_requests(web_process(settings, broker), email))
    content_cache.clear()
    rollup_packs.CACHE.clear()
    ESTIMATES.clear()
    scratch = web_process(settings, broker, shared=False)
    computed = asyncio.run(_computed(scratch, email))
    assert first == second == computed
    assert first[0] is not None and first[0].row("revenue").total != 0


async def _computed(container: Container, email: str) -> list:  # type: ignore[type-arg]
    deps, actor = container.deps, await _actor(container.deps, email)
    tables = [(await build_report(deps, actor, code, req)).table for code, req in warm_requests(deps)]
    await container.close()
    return tables
