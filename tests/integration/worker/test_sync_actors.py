"""The sync actors on a StubBroker against PostgreSQL and the in-process Ozon sandbox: connecting a shop enqueues
its backfill through the real JobQueue adapter and the `sync_shop` actor loads it; the hourly `sync_all_shops`
enqueues one `sync_shop` per shop, which runs too."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterator

import dramatiq
import pytest
from dramatiq.brokers.stub import StubBroker

from stpulse.adapters.queue.dramatiq_queue import DramatiqJobQueue
from stpulse.entrypoints.bootstrap import bootstrap
from stpulse.entrypoints.settings import Settings
from stpulse.entrypoints.worker.actors import declare_actors
from stpulse.entrypoints.worker.broker import ContainerPerLoop, build_broker
from stpulse.entrypoints.worker.retries import RetryPolicy
from tests.fakes import FixedClock, PlainHasher
from tests.integration.ozon_sync import helpers as h
from tests.services import MigratedDatabases

CLIENT, KEY = "620001", "actor-test-key-620001"
CLOCK = FixedClock(dt.datetime(2026, 9, 30, 9, 0, tzinfo=dt.UTC))  # the sandbox's today


@pytest.fixture(scope="module")
def worker_db(migrated_databases: MigratedDatabases) -> Iterator[str]:
    name, url = migrated_databases.create("stpulse_worker")
    yield url
    migrated_databases.drop(name)


def run_jobs(broker: StubBroker) -> None:
    worker = dramatiq.Worker(broker, worker_threads=1, worker_timeout=50)
    worker.start()
    try:
        broker.join("default", timeout=120_000)
        worker.join()
    finally:
        worker.stop()


async def runs_of(pg_url: str, client_id: str) -> list:  # type: ignore[type-arg]
    return await h.fetch(pg_url, "SELECT r.kind, r.status, r.error, (SELECT count(*) FROM accrual_lines a "
                                 "WHERE a.shop_id = s.id) AS lines FROM sync_runs r JOIN shops s ON s.id = r.shop_id "
                                 "WHERE s.client_id = $1 ORDER BY r.created_at", client_id)


def test_sync_shop_and_sync_all_shops_actors_load_the_shop(worker_db, tmp_path):
    settings = Settings(mode="production", database_url=worker_db, data_dir=tmp_path, redis_url="",
                        sync_backfill_months=1, log_json=True)
    sandbox = h.sandbox_app([(CLIENT, KEY, 5, "small")])
    broker = build_broker(settings)
    assert isinstance(broker, StubBroker)
    declare_actors(broker, ContainerPerLoop(settings, broker, ozon=h.ozon_factory(sandbox), clock=CLOCK), RetryPolicy(max_retries=1))

    async def connect() -> None:
        container = bootstrap(settings, ozon=h.ozon_factory(sandbox), clock=CLOCK, hasher=PlainHasher(), jobs=DramatiqJobQueue(broker))
        actor = await h.new_actor(container.deps, "actors@example.com")
        await h.connect(container.deps, actor, CLIENT, KEY)  # enqueues the backfill
        await container.close()

    asyncio.run(connect())
    assert asyncio.run(runs_of(worker_db, CLIENT)) == []
    run_jobs(broker)
    first = asyncio.run(runs_of(worker_db, CLIENT))
    assert [(r["kind"], r["status"]) for r in first] == [("backfill", "done")], first
    assert first[0]["lines"] > 0

    DramatiqJobQueue(broker).enqueue("sync_all_shops")
    run_jobs(broker)
    runs = asyncio.run(runs_of(worker_db, CLIENT))
    assert [(r["kind"], r["status"]) for r in runs] == [("backfill", "done"), ("hourly", "done")], runs
    assert not broker.dead_letters
