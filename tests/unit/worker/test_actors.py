"""Every actor on a StubBroker: the job is enqueued through the real JobQueue adapter, a dramatiq Worker runs it,
and the service's effect is checked. Retries: a transient failure is retried with backoff and then succeeds, a
permanent one runs once. (The sync actors need the sync's PostgreSQL tables: tests/integration/worker.)"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import importlib
import uuid
from typing import Any

import dramatiq
import httpx
import pytest
import sqlalchemy.exc
from dramatiq.brokers.stub import StubBroker

from stpulse.adapters.queue.dramatiq_queue import DramatiqJobQueue
from stpulse.application.kernel.health import worker_heartbeat_age
from stpulse.application.ozon.ports import OzonKeyInvalid, OzonUnavailable, OzonUnexpectedAnswer
from stpulse.domain.billing import Subscription, SubscriptionStatus
from stpulse.domain.kernel.errors import NotFound, ValidationError
from stpulse.entrypoints.bootstrap import bootstrap
from stpulse.entrypoints.deps import Deps
from stpulse.entrypoints.settings import Settings
from stpulse.entrypoints.worker.actors import ACTORS, declare_actors
from stpulse.entrypoints.worker.broker import build_broker
from stpulse.entrypoints.worker.retries import RetryPolicy, is_transient
from tests.fakes_uow import memory_uow_factory

FAST = RetryPolicy(max_retries=3, min_backoff_ms=1, max_backoff_ms=5)


class FlakyUow:
    """The unit of work of `inner`, refusing the first calls with the given errors."""

    def __init__(self, inner: Any, failures: list[BaseException]) -> None:
        self.inner, self.failures, self.calls = inner, failures, 0

    def __call__(self) -> Any:
        self.calls += 1
        if self.failures:
            raise self.failures.pop(0)
        return self.inner()


def stub_for(deps: Deps, policy: RetryPolicy = FAST) -> tuple[StubBroker, Deps]:
    broker = build_broker(Settings(redis_url=""))
    assert isinstance(broker, StubBroker)
    live = dataclasses.replace(deps, jobs=DramatiqJobQueue(broker))
    declare_actors(broker, lambda: live, policy)
    return broker, live


def run_jobs(broker: StubBroker) -> None:
    worker = dramatiq.Worker(broker, worker_threads=1, worker_timeout=20)
    worker.start()
    try:
        broker.join("default", timeout=20_000, fail_fast=False)
        worker.join()
    finally:
        worker.stop()


def heartbeat_age(deps: Deps) -> dt.timedelta | None:
    return asyncio.run(worker_heartbeat_age(deps))


def test_importing_the_worker_declares_no_broker():
    import dramatiq.broker

    for module in ("runner", "broker", "actors"):
        importlib.import_module(f"stpulse.entrypoints.worker.{module}")
    assert dramatiq.broker.global_broker is None, "a broker was built as an import side effect"


def test_bootstrap_builds_the_broker_with_every_actor(tmp_path):
    container = bootstrap(Settings(data_dir=tmp_path), uow=memory_uow_factory())
    assert isinstance(container.broker, StubBroker)
    assert set(container.broker.get_declared_actors()) == set(ACTORS) == {
        "heartbeat", "sync_shop", "sync_all_shops", "billing_daily", "relay_outbox", "resume_syncs", "warm_reports",
        "recalculate_type", "billing_notice", "evaluate_alerts", "alerts_digest", "sync_ads"}
    assert container.deps.jobs.broker is container.broker  # type: ignore[attr-defined]
    other = bootstrap(Settings(data_dir=tmp_path), uow=memory_uow_factory())
    assert other.broker is not container.broker  # no process-wide broker


def test_heartbeat_actor_records_the_heartbeat(deps: Deps):
    broker, live = stub_for(deps)
    live.jobs.enqueue("heartbeat")
    run_jobs(broker)
    age = heartbeat_age(live)
    assert age is not None and age == dt.timedelta(0) and not broker.dead_letters


def test_billing_daily_actor_moves_an_ended_trial_to_expired(deps: Deps, clock):
    user = uuid.uuid4()
    trial = Subscription.new(user_id=user, tariff_code="start", now=clock.now() - dt.timedelta(days=20))
    trial = trial.start_trial(now=clock.now() - dt.timedelta(days=20), days=14)

    async def save() -> None:
        async with deps.uow() as uow:
            await uow.subscriptions.save(trial)
            await uow.commit()

    async def status() -> SubscriptionStatus:
        async with deps.uow() as uow:
            sub = await uow.subscriptions.get(user)
        assert sub is not None
        return sub.status

    asyncio.run(save())
    broker, live = stub_for(deps)
    live.jobs.enqueue("billing_daily")
    run_jobs(broker)
    assert asyncio.run(status()) is SubscriptionStatus.EXPIRED and not broker.dead_letters


TRANSIENT = [ConnectionError("reset by peer"), TimeoutError(), OzonUnavailable(http_status=429),
             OzonUnavailable(http_status=503), httpx.ConnectError("refused"),
             sqlalchemy.exc.OperationalError("SELECT 1", {}, ConnectionRefusedError()),
             sqlalchemy.exc.DBAPIError("SELECT 1", {}, Exception("gone"), connection_invalidated=True)]
PERMANENT = [NotFound(), OzonKeyInvalid(http_status=401), ValidationError({"inn": "неверный"}),
             OzonUnexpectedAnswer(path="/v3/finance"), KeyError("bug"),
             sqlalchemy.exc.IntegrityError("INSERT", {}, Exception("check violated"))]


@pytest.mark.parametrize("error", TRANSIENT, ids=lambda e: type(e).__name__)
def test_a_transient_failure_is_retried_with_backoff_then_succeeds(deps: Deps, error: BaseException):
    assert is_transient(error)
    flaky = FlakyUow(deps.uow, [error, error])
    broker, live = stub_for(dataclasses.replace(deps, uow=flaky))
    live.jobs.enqueue("heartbeat")
    run_jobs(broker)
    assert flaky.calls == 3 and heartbeat_age(live) is not None and not broker.dead_letters


@pytest.mark.parametrize("error", PERMANENT, ids=lambda e: type(e).__name__)
def test_a_permanent_failure_runs_once(deps: Deps, error: BaseException):
    assert not is_transient(error)
    flaky = FlakyUow(deps.uow, [error])
    broker, live = stub_for(dataclasses.replace(deps, uow=flaky))
    live.jobs.enqueue("heartbeat")
    run_jobs(broker)
    assert flaky.calls == 1 and heartbeat_age(live) is None and len(broker.dead_letters) == 1


def test_transient_retries_are_bounded(deps: Deps):
    flaky = FlakyUow(deps.uow, [ConnectionError() for _ in range(10)])
    broker, live = stub_for(dataclasses.replace(deps, uow=flaky))
    live.jobs.enqueue("heartbeat")
    run_jobs(broker)
    assert flaky.calls == 1 + FAST.max_retries and len(broker.dead_letters) == 1


def test_the_policy_comes_from_the_settings_with_backoff():
    policy = RetryPolicy.from_settings(Settings())
    assert 0 < policy.max_retries <= 10 and 0 < policy.min_backoff_ms < policy.max_backoff_ms
    options = policy.options()
    assert options["min_backoff"] == policy.min_backoff_ms and options["max_backoff"] == policy.max_backoff_ms
    assert options["retry_when"](policy.max_retries - 1, ConnectionError())
    assert not options["retry_when"](policy.max_retries, ConnectionError())
