"""Run Dramatiq workers and the small scheduler (heartbeat now; hourly sync later) in this process."""

from __future__ import annotations

import functools
import signal
import threading
from collections.abc import Callable

import dramatiq
import structlog

from stpulse.entrypoints.bootstrap import Container, bootstrap
from stpulse.entrypoints.settings import Settings

log = structlog.get_logger()


class Scheduler(threading.Thread):
    """Enqueues periodic jobs. Each job is idempotent, so two schedulers would only duplicate work, not data."""

    def __init__(self, jobs: list[tuple[float, Callable[[], object]]]) -> None:
        super().__init__(daemon=True, name="stpulse-scheduler")
        self.jobs, self.stopped = jobs, threading.Event()

    def run(self) -> None:
        due = [0.0 for _ in self.jobs]
        tick = 0.0
        while not self.stopped.is_set():
            for i, (every, job) in enumerate(self.jobs):
                if tick >= due[i]:
                    try:
                        job()
                    except Exception:  # a failed enqueue must not stop the scheduler
                        log.exception("scheduler.enqueue_failed")
                    due[i] = tick + every
            self.stopped.wait(1.0)
            tick += 1.0

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
    scheduler = Scheduler([(float(settings.worker_heartbeat_seconds), functools.partial(enqueue, "heartbeat")),
                           (float(settings.sync_hourly_seconds), functools.partial(enqueue, "sync_all_shops")),
                           (float(settings.billing_renew_seconds), functools.partial(enqueue, "billing_daily"))])
    scheduler.start()
    return worker, scheduler


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
