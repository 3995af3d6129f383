"""Two workers side by side schedule every periodic job once per period (issue 19)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from pathlib import Path

from stpulse.application.ozon.sync import sync_all
from stpulse.entrypoints.bootstrap import bootstrap
from stpulse.entrypoints.settings import Settings
from stpulse.entrypoints.worker.runner import Scheduler, periodic_jobs
from stpulse.entrypoints.worker.schedule_slots import RedisSlots
from tests.fakes import FixedClock, MemoryMailer, MemoryStorage, PlainHasher, RecordingQueue, ReverseBox
from tests.fakes_uow import memory_uow_factory
from tests.sandbox_shop import connect, new_actor, ozon_factory, sandbox_app
from tests.services import REDIS_URL, require_services

HOUR = 3600.0


class Recorder:
    def __init__(self) -> None:
        self.messages: list[tuple[str, dict[str, str]]] = []

    def enqueue(self, job: str, **ids: str) -> None:
        self.messages.append((job, ids))


def _worker(settings: Settings, queue: Recorder, prefix: str) -> Scheduler:
    jobs = [job for job in periodic_jobs(settings, queue.enqueue) if job[0] != "backup"]  # counted elsewhere
    return Scheduler(jobs, RedisSlots(REDIS_URL, prefix=prefix))


def test_two_workers_enqueue_the_hourly_sync_once_per_hour(tmp_path: Path) -> None:
    require_services()
    settings = Settings(data_dir=tmp_path, redis_url=REDIS_URL)
    queue, prefix = Recorder(), f"test-schedule:{uuid.uuid4().hex}"  # both workers enqueue onto one queue
    first, second = _worker(settings, queue, prefix), _worker(settings, queue, prefix)
    start = 1_800_000_000.0 + 600  # ten minutes into an hour
    for second_of_run in range(0, int(3 * HOUR), 20):  # each scheduler ticks every 20 s, out of step by 7 s
        first.tick(start + second_of_run)
        second.tick(start + second_of_run + 7)
    hourly = [job for job, _ in queue.messages if job == "sync_all_shops"]
    assert len(hourly) == 4  # the start-up hour and the three hours that began during the run — not 8
    beats = [job for job, _ in queue.messages if job == "heartbeat"]
    assert len(beats) == int(3 * HOUR // settings.worker_heartbeat_seconds)  # one per 30 s period, not two


def test_a_worker_started_later_in_the_same_hour_does_not_enqueue_again(tmp_path: Path) -> None:
    require_services()
    settings = Settings(data_dir=tmp_path, redis_url=REDIS_URL)
    queue, prefix = Recorder(), f"test-schedule:{uuid.uuid4().hex}"
    now = 1_800_000_000.0
    _worker(settings, queue, prefix).tick(now)
    _worker(settings, queue, prefix).tick(now + 900)  # restarted or scaled up a quarter of an hour later
    assert [job for job, _ in queue.messages].count("sync_all_shops") == 1


SHOPS = [("740001", "key-740001", 1, "small"), ("740002", "key-740002", 2, "small"), ("740003", "key-740003", 3, "small")]


async def test_two_workers_queue_each_shops_hourly_sync_once_per_hour(tmp_path: Path) -> None:
    """The messages the hourly ticks of two workers lead to, counted per shop: the `sync_all_shops` each worker's
    scheduler enqueued is run as its actor would, fanning out to `sync_shop` per shop."""
    require_services()
    settings = Settings(data_dir=tmp_path, redis_url=REDIS_URL)
    jobs = RecordingQueue()
    container = bootstrap(settings, uow=memory_uow_factory(), clock=FixedClock(dt.datetime(2026, 9, 30, 9, tzinfo=dt.UTC)),
                          mailer=MemoryMailer(), hasher=PlainHasher(), storage=MemoryStorage(), secrets=ReverseBox(),
                          jobs=jobs, ozon=ozon_factory(sandbox_app(SHOPS)))
    actor = await new_actor(container.deps, "hourly@example.ru")
    shop_ids = [str(await connect(container.deps, actor, c, k, f"Магазин {c}")) for c, k, _, _ in SHOPS]
    jobs.jobs.clear()  # the backfills queued by connecting
    queue, prefix = Recorder(), f"test-schedule:{uuid.uuid4().hex}"
    first, second = _worker(settings, queue, prefix), _worker(settings, queue, prefix)
    start = 1_800_000_000.0 + 1200
    for at in range(0, int(2 * HOUR), 30):
        first.tick(start + at)
        second.tick(start + at + 11)
    for job, _ in queue.messages:
        if job == "sync_all_shops":
            await sync_all(container.deps)
    per_shop = Counter(ids["shop_id"] for job, ids in jobs.jobs if job == "sync_shop")
    assert per_shop == dict.fromkeys(shop_ids, 3)  # the start-up hour and the two that began: 3 each, not 6
    await container.close()


def test_two_running_apscheduler_workers_enqueue_each_second_once(tmp_path: Path) -> None:
    """The real thing: two started schedulers (APScheduler threads on the wall clock) share one Redis slot per
    period, so a job of a 1-second period is enqueued once per second, not twice, and never skips a second."""
    import time

    require_services()
    prefix, seen = f"test-schedule:{uuid.uuid4().hex}", []

    def job() -> None:
        seen.append(int(time.time()))

    first = Scheduler([("beat", 1.0, job)], RedisSlots(REDIS_URL, prefix=prefix))
    second = Scheduler([("beat", 1.0, job)], RedisSlots(REDIS_URL, prefix=prefix))
    first.start()
    time.sleep(0.4)
    second.start()
    time.sleep(3.2)
    first.stop()
    second.stop()
    assert len(seen) == len(set(seen)) >= 3  # each second enqueued by one scheduler only
    assert max(seen) - min(seen) + 1 == len(seen)  # and no second skipped


def test_a_failed_enqueue_is_retried_within_seconds_not_next_period() -> None:
    import time

    calls: list[float] = []

    def flaky() -> None:
        calls.append(time.time())
        if len(calls) == 1:
            raise ConnectionError("Redis is down")

    scheduler = Scheduler([("sync_all_shops", HOUR, flaky)])
    import stpulse.entrypoints.worker.runner as runner

    old, runner.RETRY_SECONDS = runner.RETRY_SECONDS, 0.5
    try:
        scheduler.start()
        deadline = time.time() + 5
        while len(calls) < 2 and time.time() < deadline:
            time.sleep(0.1)
    finally:
        scheduler.stop()
        runner.RETRY_SECONDS = old
    assert len(calls) == 2  # the hourly job came back after the failure, in this hour
