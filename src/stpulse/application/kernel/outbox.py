"""Jobs never lost: a use case writes the job it asks for into the outbox in the same transaction as its change,
and the relay moves outbox rows to the queue. With the queue (Redis) down the change still commits and the page
answers normally; the relay — right after the commit, and the worker's periodic `relay_outbox` — sends the job
once the queue is back. Delivery is at least once; every actor is idempotent."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Protocol

from stpulse.application.kernel.deps import new_id
from stpulse.application.kernel.ports import Clock, JobQueue, KernelUnitOfWork, OutboxJob, OutboxRepository

log = logging.getLogger(__name__)
BATCH = 200


class OutboxDeps(Protocol):
    @property
    def uow(self) -> Callable[[], KernelUnitOfWork]: ...
    @property
    def clock(self) -> Clock: ...
    @property
    def jobs(self) -> JobQueue: ...


class HasOutbox(Protocol):
    @property
    def outbox(self) -> OutboxRepository: ...


async def queue_job(uow: HasOutbox, clock: Clock, job: str, **ids: str) -> None:
    """Ask for a job as part of the caller's transaction (sent only if it commits)."""
    await uow.outbox.add(OutboxJob(id=new_id(), job=job, ids=dict(ids), created_at=clock.now()))


async def relay_outbox(deps: OutboxDeps) -> int:
    """Send pending jobs, oldest first; a row leaves the outbox only after the queue took it. Never raises: a
    queue that is down leaves the rest for the next relay. Returns how many were sent."""
    sent = 0
    try:
        async with deps.uow() as uow:
            jobs = await uow.outbox.pending(BATCH)
            done = []
            try:
                for job in jobs:
                    deps.jobs.enqueue(job.job, **job.ids)
                    done.append(job.id)
            finally:
                if done:
                    await uow.outbox.remove(done)
                    await uow.commit()
                    sent = len(done)
    except Exception as exc:  # the queue or the database is down: the jobs wait in the outbox
        log.warning("outbox.relay_failed: %s (%d sent)", type(exc).__name__, sent)
    return sent
