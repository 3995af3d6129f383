"""Run Dramatiq workers and the small scheduler (heartbeat now; hourly sync later) in this process."""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable

import dramatiq
import structlog

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


def start_worker(settings: Settings, threads: int = 4) -> tuple[dramatiq.Worker, Scheduler]:
    from stpulse.entrypoints.worker import actors

    actors.configure(settings)
    broker = dramatiq.get_broker()
    worker = dramatiq.Worker(broker, worker_threads=threads)
    worker.start()
    scheduler = Scheduler([(float(settings.worker_heartbeat_seconds), actors.heartbeat.send),
                           (float(settings.sync_hourly_seconds), actors.sync_all_shops.send),
                           (float(settings.billing_renew_seconds), actors.billing_daily.send)])
    scheduler.start()
    return worker, scheduler


def run_forever(settings: Settings, threads: int) -> None:
    worker, scheduler = start_worker(settings, threads)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    log.info("worker.started", threads=threads)
    stop.wait()
    scheduler.stop()
    worker.stop()
    log.info("worker.stopped")
