"""Sync one Ozon shop: the registered sources in order — accruals day by day (checkpointed), then postings,
returns, products, stock and the accrual type names.

Runs in a Dramatiq worker (backfill, hourly, «Обновить сейчас») or in the foreground (`stpulse sync`).
Every write is idempotent, so a run killed at any point is simply resumed (from its checkpoint) or repeated.
A revoked key marks the shop «Ключ API недействителен» and stops only this shop; nothing is deleted.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import uuid
from collections.abc import AsyncIterator, Callable, Sequence

import msgspec

from stpulse.application.billing.limits import subscription_allows_sync
from stpulse.application.billing.policy import entitlement, history_start
from stpulse.application.kernel.deps import new_id
from stpulse.application.ozon.deps import OzonDeps, OzonUnitOfWork
from stpulse.application.ozon.ports import OzonAccessDenied, OzonCredentials, OzonError, OzonKeyInvalid
from stpulse.application.ozon.sources import SOURCES, SyncSource
from stpulse.application.ozon.sync_plan import moscow_today, run_range
from stpulse.application.ozon.sync_ports import SyncKind, SyncRun, SyncStatus
from stpulse.application.ozon.sync_steps import ShopSync
from stpulse.domain.kernel.period import month_first_day
from stpulse.domain.ledger.shops import Shop, ShopStatus

log = logging.getLogger(__name__)
Progress = Callable[[int, str], None]
INTERNAL_ERROR = "Внутренняя ошибка синхронизации. Мы уже разбираемся; данные загрузятся при следующей попытке."


async def sync_shop(deps: OzonDeps, shop_id: uuid.UUID, kind: SyncKind = SyncKind.HOURLY, *,
                    date_from: dt.date | None = None, date_to: dt.date | None = None,
                    progress: Progress | None = None, sources: Sequence[SyncSource] = SOURCES) -> SyncRun | None:
    """Run (or resume) a sync of the shop over the registered sources (application/ozon/sources.py); None when
    there is nothing to do or another worker is on it."""
    async with deps.uow() as unit:
        uow = unit
        shop = await uow.shops.by_id(shop_id)
        key = await uow.shops.api_key(shop_id)
        mapping = await uow.ledger.mapping()
        latest = await uow.sync_runs.latest(shop_id)
        earliest = await _history_start(unit, shop, deps.clock.now())
    if shop is None or not key or deps.ozon is None or shop.status == ShopStatus.PAUSED:
        return None
    if shop.status == ShopStatus.KEY_INVALID and kind == SyncKind.HOURLY:
        return None
    run = await _claim(deps, shop, kind, latest, date_from, date_to, earliest)
    if run is None:
        return None
    api = deps.ozon(OzonCredentials(client_id=shop.client_id, api_key=deps.secrets.decrypt(key)))
    job = ShopSync(deps, shop, run, api, mapping, progress, sources)
    try:
        async with _kept_alive(deps, run.id):
            await job.run()
    except (OzonKeyInvalid, OzonAccessDenied) as exc:
        return await _fail(deps, job.run_state, str(exc), ShopStatus.KEY_INVALID)
    except OzonError as exc:
        return await _fail(deps, job.run_state, str(exc), None)
    except Exception:
        log.exception("sync.failed", extra={"shop_id": str(shop.id), "run_id": str(run.id)})
        return await _fail(deps, job.run_state, INTERNAL_ERROR, None)
    return job.run_state


@contextlib.asynccontextmanager
async def _kept_alive(deps: OzonDeps, run_id: uuid.UUID) -> AsyncIterator[None]:
    """While the sync works (a long step writes no progress), its run is touched every third of the stale time,
    so a run silent for `stale_seconds` surely lost its worker and the resume job may take it over."""
    async def beat() -> None:
        while True:
            await asyncio.sleep(max(1.0, deps.sync.stale_seconds / 3))
            try:
                async with deps.uow() as unit:
                    await unit.sync_runs.touch(run_id, deps.clock.now())
                    await unit.commit()
            except Exception as exc:  # a missed beat only risks a takeover, which resumes from the checkpoint
                log.warning("sync.keepalive_failed: %s", type(exc).__name__)

    task = asyncio.create_task(beat())
    try:
        yield
    finally:
        task.cancel()


async def resume_stalled(deps: OzonDeps) -> list[uuid.UUID]:
    """The worker's frequent tick: a run whose worker died (silent for `stale_seconds`) is queued again; its
    sync takes it over from the checkpoint. Runs within a minute of a worker being back, not at the next hour."""
    before = deps.clock.now() - dt.timedelta(seconds=deps.sync.stale_seconds)
    async with deps.uow() as unit:
        stalled = await unit.sync_runs.stalled(before)
    for run in stalled:
        deps.jobs.enqueue("sync_shop", shop_id=str(run.shop_id), kind=run.kind.value)
    return [run.shop_id for run in stalled]


async def _history_start(uow: OzonUnitOfWork, shop: Shop | None, now: dt.datetime) -> dt.date | None:
    """The first day the tariff's history depth reaches (None: no tariff known, the callers gate access)."""
    tariff = (await entitlement(uow, shop.account_id, now)).tariff if shop is not None else None
    return month_first_day(history_start(tariff, now)) if tariff is not None else None


async def _claim(deps: OzonDeps, shop: Shop, kind: SyncKind, latest: SyncRun | None,
                 date_from: dt.date | None, date_to: dt.date | None, earliest: dt.date | None) -> SyncRun | None:
    now = deps.clock.now()
    stale = dt.timedelta(seconds=deps.sync.stale_seconds)
    if latest and latest.status == SyncStatus.RUNNING:
        if now - latest.updated_at < stale:
            return None  # a live worker holds it
        if date_from is None:  # take over an interrupted run from its checkpoint
            run = msgspec.structs.replace(latest, updated_at=now, step="Продолжаем после перерыва")
            async with deps.uow() as unit:
                uow = unit
                await uow.sync_runs.update(run)
                await uow.commit()
            return run
    today = moscow_today(now)
    first, last = run_range(shop, today, deps.sync, date_from, date_to, earliest)
    if shop.synced_to is None and kind == SyncKind.HOURLY:
        kind = SyncKind.BACKFILL
    run = SyncRun(id=new_id(), shop_id=shop.id, kind=kind, status=SyncStatus.RUNNING, date_from=first,
                  date_to=last, created_at=now, updated_at=now, step="Подготовка")
    async with deps.uow() as unit:
        uow = unit
        if latest and latest.status == SyncStatus.RUNNING:
            await uow.sync_runs.update(msgspec.structs.replace(
                latest, status=SyncStatus.FAILED, error="Прервана и заменена новой загрузкой", finished_at=now))
        await uow.sync_runs.add(run)
        await uow.commit()
    return run


async def _fail(deps: OzonDeps, run: SyncRun, message: str, shop_status: ShopStatus | None) -> SyncRun:
    now = deps.clock.now()
    failed = msgspec.structs.replace(run, status=SyncStatus.FAILED, error=message[:2000], finished_at=now,
                                     updated_at=now, step="Остановлена из-за ошибки")
    async with deps.uow() as unit:
        uow = unit
        await uow.sync_runs.update(failed)
        if shop_status is not None and (shop := await uow.shops.by_id(run.shop_id)) is not None:
            await uow.shops.update(msgspec.structs.replace(shop, status=shop_status))
        await uow.commit()
    return failed


async def sync_all(deps: OzonDeps) -> list[uuid.UUID]:
    """The hourly tick: enqueue a sync of every shop that can sync (each runs on its own worker thread)."""
    async with deps.uow() as unit:
        uow = unit
        shops = [shop for shop in await uow.shops.syncable()  # an ended subscription pauses the sync
                 if await subscription_allows_sync(unit, shop.account_id, deps.clock.now())]
    for shop in shops:
        deps.jobs.enqueue("sync_shop", shop_id=str(shop.id), kind=SyncKind.HOURLY.value)
    return [s.id for s in shops]
