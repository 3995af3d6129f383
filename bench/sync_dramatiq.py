"""The sync bench's Dramatiq path: the shop's backfill as production runs it.

Connecting the shop queues `sync_shop` (through the outbox, relayed at once) onto a Redis broker in its own
namespace; a Dramatiq worker in this process (one thread, the AsyncIO middleware) runs the real actor with a
container per event loop (`ContainerPerLoop`), only the Ozon client pointed at the bench's sandbox and the clock at
the sandbox's today. Timed from the enqueue to the run being done, as a user waits for it."""

from __future__ import annotations

import asyncio
import datetime as dt
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import dramatiq
from dramatiq.brokers.redis import RedisBroker
from dramatiq.middleware import AsyncIO

NAMESPACE = "stpulse-bench-sync"


class FixedClock:
    def __init__(self, today: dt.date) -> None:
        self.at = dt.datetime(today.year, today.month, today.day, 9, 0, tzinfo=dt.UTC)

    def now(self) -> dt.datetime:
        return self.at


async def run_through_dramatiq(url: str, redis: str, sandbox_url: str, today: dt.date, months: int
                               ) -> tuple[Any, float]:
    from bench.sync import CLIENT, KEY
    from stpulse.adapters.ozon import OzonHttpSettings, OzonSellerClientFactory
    from stpulse.adapters.queue.dramatiq_queue import DramatiqJobQueue
    from stpulse.application.accounts.actor import Actor
    from stpulse.application.accounts.identity import Register, register_new
    from stpulse.application.ozon.shops import ConnectShop, connect_shop
    from stpulse.entrypoints.bootstrap import bootstrap
    from stpulse.entrypoints.settings import Settings
    from stpulse.entrypoints.worker.actors import declare_actors
    from stpulse.entrypoints.worker.broker import ContainerPerLoop
    from stpulse.entrypoints.worker.retries import RetryPolicy

    broker = RedisBroker(url=redis, namespace=NAMESPACE)
    broker.add_middleware(AsyncIO())
    broker.flush_all()  # nothing left from an earlier run
    settings = Settings(mode="production", database_url=url, data_dir=Path(tempfile.mkdtemp()), redis_url=redis,
                        sync_backfill_months=months)
    ozon = lambda: OzonSellerClientFactory(  # noqa: E731 - one per event loop: its pooled connections belong to it
        OzonHttpSettings(base_url=sandbox_url, requests_per_second=1e6, burst=1000))
    clock = FixedClock(today)
    declare_actors(broker, ContainerPerLoop(settings, broker, ozon=ozon(), clock=clock), RetryPolicy(max_retries=0))
    container = bootstrap(settings, ozon=ozon(), clock=clock, jobs=DramatiqJobQueue(broker))
    deps = container.deps
    user = await register_new(deps, Register(email="bench@example.com", password="bench-password-1",
                                         password_confirm="bench-password-1", full_name="Бенчмарк", consent=True))
    async with deps.uow() as uow:
        membership = (await uow.memberships.for_user(user.id))[0]
        account = await uow.accounts.get(membership.account_id)
    actor = Actor(user=user, account=account, membership=membership)  # type: ignore[arg-type]
    worker = dramatiq.Worker(broker, worker_threads=1, worker_timeout=100)
    worker.start()
    try:
        started = time.perf_counter()
        shop = await connect_shop(deps, actor, ConnectShop(name="Бенчмарк", client_id=CLIENT, api_key=KEY))
        run = await _finished(deps, shop.id)
        elapsed = time.perf_counter() - started
    finally:
        worker.stop()
        broker.flush_all()
        broker.close()
        await container.close()
    return run, elapsed


async def _finished(deps: Any, shop_id: uuid.UUID) -> Any:
    deadline = time.monotonic() + 7200
    while time.monotonic() < deadline:
        async with deps.uow() as uow:
            run = await uow.sync_runs.latest(shop_id)
        if run is not None and run.status.value in ("done", "failed"):
            return run
        await asyncio.sleep(0.5)
    raise SystemExit("the sync through Dramatiq did not finish")
