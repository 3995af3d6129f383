"""Run Dramatiq workers and the periodic scheduler (heartbeat, hourly sync, billing) in this process."""

from __future__ import annotations

import datetime as dt
import functools
import signal
import threading
import time
from collections.abc import Callable

import dramatiq
import structlog
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

from stpulse.entrypoints.bootstrap import Container, bootstrap
from stpulse.entrypoints.settings import Settings
from stpulse.entrypoints.worker.schedule_slots import LocalSlots, Slots, slots_for

log = structlog.get_logger()
RETRY_SECONDS = 5.0  # a period whose enqueue failed is tried again this soon, not a whole period later


class Scheduler:
    """Enqueues periodic jobs once per period however many worker processes run.

    APScheduler's background scheduler fires each job on its interval, aligned to wall-clock multiples of the
    period, and once at start-up; each firing first claims the period's slot (wall-clock time // period) —
    `RedisSlots` across processes, `LocalSlots` in one — so only one scheduler enqueues a period. A scheduler
    starting mid-period enqueues at once unless another one already did this period. `tick(now)` is the same
    firing for every job at a given time (tests drive it with a fake clock)."""

    def __init__(self, jobs: list[tuple[str, float, Callable[[], object]]], slots: Slots | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        self.jobs, self.slots, self.clock = jobs, slots or LocalSlots(), clock
        self.last: dict[str, int] = {}
        self.failing: dict[str, int] = {}
        self.lock = threading.Lock()
        self.background: BackgroundScheduler | None = None

    def start(self) -> None:
        scheduler = BackgroundScheduler(timezone=dt.UTC, daemon=True)
        epoch, now = dt.datetime(1970, 1, 1, tzinfo=dt.UTC), dt.datetime.now(dt.UTC)
        for name, every, job in self.jobs:
            scheduler.add_job(self.fire, IntervalTrigger(seconds=every, start_date=epoch), args=(name, every, job),
                              id=name, next_run_time=now, coalesce=True, max_instances=1,
                              misfire_grace_time=max(1, int(every)))
        self.background = scheduler  # before start: a first job failing at once must find it to schedule its retry
        scheduler.start()

    def tick(self, now: float) -> None:
        for name, every, job in self.jobs:
            self.fire(name, every, job, now)

    def fire(self, name: str, every: float, job: Callable[[], object], now: float | None = None) -> None:
        slot = int((self.clock() if now is None else now) // every)
        with self.lock:
            if self.last.get(name) == slot:
                return
            try:
                if self.slots.claim(name, slot, every):
                    job()
                self.last[name] = slot
            except Exception:  # a failed enqueue (Redis down) must not stop the scheduler: retried in a few seconds
                if self.failing.get(name) != slot:  # logged once per period
                    log.exception("scheduler.enqueue_failed", job=name)
                self.failing[name] = slot
                self._retry(name, every, job)

    def _retry(self, name: str, every: float, job: Callable[[], object]) -> None:
        if self.background is not None and self.background.running:
            at = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=min(RETRY_SECONDS, every))
            self.background.add_job(self.fire, DateTrigger(run_date=at), args=(name, every, job),
                                    id=f"{name}:retry", replace_existing=True)

    def stop(self) -> None:
        if self.background is not None and self.background.running:
            self.background.shutdown(wait=False)


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
