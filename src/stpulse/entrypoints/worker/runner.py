"""Run Dramatiq workers and the periodic scheduler (heartbeat, hourly sync, billing) in this process."""

from __future__ import annotations

import functools
import signal
import threading
import time
from collections.abc import Callable

import dramatiq
import structlog

from stpulse.entrypoints.bootstrap import Container, bootstrap
from stpulse.entrypoints.settings import Settings
from stpulse.entrypoints.worker.schedule_slots import LocalSlots, Slots, slots_for

log = structlog.get_logger()


class Scheduler(threading.Thread):
    """Enqueues periodic jobs once per period however many worker processes run: each period of a job is a slot
    (wall-clock time // period) that exactly one scheduler claims (`RedisSlots`; `LocalSlots` in one process).
    A scheduler starting mid-period enqueues at once unless another one already did this period."""

    def __init__(self, jobs: list[tuple[str, float, Callable[[], object]]], slots: Slots | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        super().__init__(daemon=True, name="stpulse-scheduler")
        self.jobs, self.slots, self.clock = jobs, slots or LocalSlots(), clock
        self.stopped = threading.Event()
        self.last: dict[str, int] = {}
        self.failing: dict[str, int] = {}

    def run(self) -> None:
        while not self.stopped.is_set():
            self.tick(self.clock())
            self.stopped.wait(1.0)

    def tick(self, now: float) -> None:
        for name, every, job in self.jobs:
            slot = int(now // every)
            if self.last.get(name) == slot:
                continue
            try:
                if self.slots.claim(name, slot, every):
                    job()
                self.last[name] = slot
            except Exception:  # a failed enqueue (Redis down) must not stop the scheduler: retried next second
                if self.failing.get(name) != slot:  # logged once per period, not every second
                    log.exception("scheduler.enqueue_failed", job=name)
                self.failing[name] = slot

    def stop(self) -> None:
        self.stopped.set()


def start_worker(container: Container, threads: int = 4) -> tuple[dramatiq.Worker, Scheduler]:
    """A worker on the container's broker (its actors are declared by `bootstrap`) and the scheduler, which
    enqueues through the JobQueue port like any service."""
    if container.broker is None:
        raise RuntimeError("the container was built without a broker (jobs were replaced)")
    worker = dramatiq.Worker(container.broker, worker_threads=threads)
    worker.start()
    enqueue, settings = container.deps.jobs.enqueue, container.settings
    jobs = periodic_jobs(settings, enqueue)
    if container.database is None or not settings.backup_interval_seconds:  # tests on fakes have nothing to save
        jobs = [job for job in jobs if job[0] != "backup"]
    scheduler = Scheduler(jobs, slots_for(settings))
    scheduler.start()
    return worker, scheduler


def periodic_jobs(settings: Settings, enqueue: Callable[..., None]) -> list[tuple[str, float, Callable[[], object]]]:
    every = {"heartbeat": settings.worker_heartbeat_seconds, "sync_all_shops": settings.sync_hourly_seconds,
             "resume_syncs": settings.sync_resume_seconds,
             "billing_daily": settings.billing_renew_seconds, "relay_outbox": settings.outbox_relay_seconds,
             "alerts_digest": 3600}  # yesterday's digest, once per member and day whatever the ticks
    jobs: list[tuple[str, float, Callable[[], object]]] = [
        (name, float(seconds), functools.partial(enqueue, name)) for name, seconds in every.items()]
    return [*jobs, ("backup", float(settings.backup_interval_seconds), functools.partial(_in_thread, settings))]


def _in_thread(settings: Settings) -> None:
    """A backup takes minutes: it runs beside the scheduler, which goes on ticking."""
    from stpulse.entrypoints.backups import scheduled_backup

    threading.Thread(target=scheduled_backup, args=(settings,), daemon=True, name="stpulse-backup").start()


def run_forever(settings: Settings, threads: int) -> None:
    container = bootstrap(settings)
    worker, scheduler = start_worker(container, threads)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    log.info("worker.started", threads=threads)
    stop.wait()
    scheduler.stop()
    worker.stop()
    log.info("worker.stopped")
