"""A sync whose worker died is taken over within a minute, not at the next hour (issue 19): a running sync touches
its run while it works; the worker's frequent `resume_syncs` tick queues the runs silent for `stale_seconds`."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import uuid

from stpulse.application.ozon import sync
from stpulse.application.ozon.deps import SyncConfig
from stpulse.application.ozon.sync_ports import SyncKind, SyncRun, SyncStatus


def _run(at: dt.datetime, status: SyncStatus = SyncStatus.RUNNING, kind: SyncKind = SyncKind.BACKFILL) -> SyncRun:
    return SyncRun(id=uuid.uuid4(), shop_id=uuid.uuid4(), kind=kind, status=status, date_from=dt.date(2026, 1, 1),
                   date_to=dt.date(2026, 11, 25), created_at=at, updated_at=at, done_through=dt.date(2026, 3, 10))


async def _add(deps, *runs: SyncRun) -> None:  # type: ignore[no-untyped-def]
    async with deps.uow() as uow:
        for run in runs:
            await uow.sync_runs.add(run)
        await uow.commit()


async def test_the_resume_tick_queues_only_runs_silent_for_the_stale_time(deps, clock):  # type: ignore[no-untyped-def]
    now = clock.now()
    dead = _run(now - dt.timedelta(seconds=31))
    live = _run(now - dt.timedelta(seconds=20))
    finished = _run(now - dt.timedelta(hours=1), SyncStatus.DONE)
    await _add(deps, dead, live, finished)
    assert deps.sync.stale_seconds == 30  # was 120, with nothing resuming before the next hourly tick
    assert await sync.resume_stalled(deps) == [dead.shop_id]
    assert deps.jobs.jobs == [("sync_shop", {"shop_id": str(dead.shop_id), "kind": "backfill"})]


async def test_a_working_sync_keeps_its_run_alive_without_touching_the_checkpoint(deps, clock):  # type: ignore[no-untyped-def]
    quick = dataclasses.replace(deps, sync=SyncConfig(stale_seconds=3))  # touched every second
    run = _run(clock.now())
    await _add(quick, run)
    async with sync._kept_alive(quick, run.id):
        clock.advance(seconds=40)
        await asyncio.sleep(1.3)
    async with quick.uow() as uow:
        touched = await uow.sync_runs.latest(run.shop_id)
    assert touched is not None
    assert (touched.updated_at, touched.done_through) == (clock.now(), run.done_through)
    assert await sync.resume_stalled(quick) == []
