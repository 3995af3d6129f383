"""Liveness of the worker: a heartbeat job writes, /health reads."""

from __future__ import annotations

import datetime as dt

from stpulse.application.kernel.deps import KernelDeps

WORKER = "worker"


async def record_heartbeat(deps: KernelDeps, name: str = WORKER) -> None:
    async with deps.uow() as uow:
        await uow.heartbeats.beat(name, deps.clock.now())
        await uow.commit()


async def worker_heartbeat_age(deps: KernelDeps, name: str = WORKER) -> dt.timedelta | None:
    async with deps.uow() as uow:
        last = await uow.heartbeats.last(name)
    return None if last is None else deps.clock.now() - last


async def database_ok(deps: KernelDeps) -> bool:
    async with deps.uow() as uow:
        await uow.heartbeats.last(WORKER)
    return True
