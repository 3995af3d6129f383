"""The heartbeat actor runs on a real Dramatiq worker over Redis; /health and /metrics report it."""

from __future__ import annotations

import dramatiq

from stpulse.application.kernel.health import worker_heartbeat_age
from stpulse.entrypoints.bootstrap import bootstrap


async def test_health_reports_missing_worker_then_ok(client, app):
    first = await client.get("/health")
    assert first.status_code == 503
    assert first.json()["checks"] == {"database": "ok", "redis": "ok", "worker": "missing"}
    from stpulse.application.kernel.health import record_heartbeat

    await record_heartbeat(app.state.container.deps)
    second = await client.get("/health")
    assert second.status_code == 200 and second.json()["status"] == "ok"


async def test_metrics_in_prometheus_format(client):
    await client.get("/auth/login")
    body = (await client.get("/metrics")).text
    assert "litestar_requests_total" in body and 'path="/auth/login"' in body


def test_heartbeat_actor_on_a_real_redis_worker(settings, pg_url):
    """The broker comes from the composition root, the job goes through the JobQueue port."""
    container = bootstrap(settings)
    broker = container.broker
    assert type(broker).__name__ == "RedisBroker"
    broker.flush_all()
    worker = dramatiq.Worker(broker, worker_threads=1, worker_timeout=100)
    worker.start()
    try:
        container.deps.jobs.enqueue("heartbeat")
        broker.join("default", timeout=20_000)
        worker.join()
    finally:
        worker.stop()
    from tests.services import run_sync

    ages: list = []

    async def read() -> None:
        c = bootstrap(settings)
        ages.append(await worker_heartbeat_age(c.deps))
        await c.close()

    run_sync(read())
    assert ages[0] is not None and ages[0].total_seconds() < 60
