"""Two workers side by side schedule every periodic job once per period (issue 19)."""

from __future__ import annotations

import uuid
from pathlib import Path

from stpulse.entrypoints.settings import Settings
from stpulse.entrypoints.worker.runner import Scheduler, periodic_jobs
from stpulse.entrypoints.worker.schedule_slots import RedisSlots
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
