"""Jobs never lost (issue 19): with Redis unreachable a key rotation still saves the key and answers normally; its
sync waits in the outbox and runs on a real Dramatiq worker once Redis is reachable again."""

from __future__ import annotations

import asyncio
import dataclasses
import time
import uuid

import dramatiq
from dramatiq.brokers.redis import RedisBroker
from dramatiq.middleware import AsyncIO

from stpulse.adapters.queue.dramatiq_queue import DramatiqJobQueue
from stpulse.application.kernel.outbox import relay_outbox
from stpulse.entrypoints.worker.actors import declare_actors
from stpulse.entrypoints.worker.broker import ContainerPerLoop
from stpulse.entrypoints.worker.retries import RetryPolicy
from tests.fakes import RecordingQueue
from tests.integration.ozon_sync import helpers as h
from tests.integration.web_helpers import post_form, sign_up
from tests.services import REDIS_URL

CLIENT, KEY = "730001", "outbox-key-730001-secret"
UNREACHABLE = "redis://127.0.0.1:1/0"


def _broker(url: str, namespace: str) -> RedisBroker:
    broker = RedisBroker(url=url, namespace=namespace, socket_connect_timeout=1)
    broker.add_middleware(AsyncIO())
    return broker


async def _pending(app) -> list:  # type: ignore[no-untyped-def]
    async with app.state.container.deps.uow() as uow:
        return await uow.outbox.pending(100)


async def test_rotation_with_redis_down_commits_and_its_sync_runs_when_redis_is_back(app, client, mailbox, settings):  # type: ignore[no-untyped-def]
    sandbox = h.sandbox_app([(CLIENT, KEY, 5, "small")])
    container = app.state.container
    container.deps = dataclasses.replace(container.deps, ozon=h.ozon_factory(sandbox), jobs=RecordingQueue())
    await sign_up(client, mailbox, "outbox@example.com")
    connected = await post_form(client, "/app/shops/new", {"name": "Магазин", "client_id": CLIENT, "api_key": KEY},
                                follow_redirects=False)
    location = connected.headers["location"]
    shop_id = location.rsplit("/", 1)[1]
    assert await _pending(app) == []  # sent at once while the queue answers

    container.deps = dataclasses.replace(container.deps, jobs=DramatiqJobQueue(_broker(UNREACHABLE, "down")))
    rotated = await post_form(client, location + "/key", {"api_key": KEY}, follow_redirects=False)
    assert rotated.status_code == 303, rotated.text  # was 500 with the change committed and the job lost
    waiting = await _pending(app)
    assert [(j.job, j.ids) for j in waiting] == [("sync_shop", {"shop_id": shop_id, "kind": "manual"})]
    assert await relay_outbox(container.deps) == 0 and len(await _pending(app)) == 1  # still down: kept

    back = _broker(REDIS_URL, f"test-outbox-{uuid.uuid4().hex}")  # Redis reachable again
    quick = settings.model_copy(update={"sync_backfill_months": 1})
    declare_actors(back, ContainerPerLoop(quick, back, ozon=h.ozon_factory(sandbox)), RetryPolicy(max_retries=0))
    assert await relay_outbox(dataclasses.replace(container.deps, jobs=DramatiqJobQueue(back))) == 1
    assert await _pending(app) == []
    worker = dramatiq.Worker(back, worker_threads=1)
    worker.start()
    try:
        run = await _wait_for_run(settings.sqlalchemy_url, uuid.UUID(shop_id))
    finally:
        worker.stop()
    assert run["kind"] == "manual" and run["status"] == "done"


async def _wait_for_run(pg_url: str, shop_id: uuid.UUID, seconds: float = 60):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        rows = await h.fetch(pg_url, "SELECT kind, status FROM sync_runs WHERE shop_id = $1 AND status <> 'running'",
                             shop_id)
        if rows:
            return rows[0]
        await asyncio.sleep(0.2)
    raise AssertionError("the relayed sync did not run")
