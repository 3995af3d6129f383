"""The admin's «Мониторинг»: how far behind each shop's sync is, the sync runs that failed lately, the worker's
heartbeat and the database's size."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Protocol

import msgspec

from stpulse.application.accounts.admin_users import require_admin
from stpulse.application.kernel.health import WORKER
from stpulse.application.kernel.ports import Clock, KernelUnitOfWork
from stpulse.application.ozon.deps import OzonUnitOfWork
from stpulse.application.ozon.sync_ports import SyncRun
from stpulse.domain.accounts.users import User
from stpulse.domain.ledger.shops import Shop

FAILED_WINDOW = dt.timedelta(days=7)
FAILED_SHOWN = 100
SYNC_LATE = dt.timedelta(hours=2)  # an hourly sync that has not finished for two hours is late


class MonitoringUnitOfWork(OzonUnitOfWork, KernelUnitOfWork, Protocol):
    pass


class MonitoringDeps(Protocol):
    @property
    def uow(self) -> Callable[[], MonitoringUnitOfWork]: ...
    @property
    def clock(self) -> Clock: ...


class ShopLag(msgspec.Struct, frozen=True, kw_only=True):
    shop: Shop
    lag: dt.timedelta | None  # since the last finished sync; None: never synced

    @property
    def late(self) -> bool:
        return self.lag is None or self.lag > SYNC_LATE


class FailedRun(msgspec.Struct, frozen=True, kw_only=True):
    run: SyncRun
    shop_name: str


class Monitoring(msgspec.Struct, frozen=True, kw_only=True):
    now: dt.datetime
    shops: list[ShopLag]  # most behind first
    failed: list[FailedRun]
    heartbeat_age: dt.timedelta | None
    heartbeat_stale: bool
    database_bytes: int | None

    @property
    def late_shops(self) -> int:
        return sum(1 for s in self.shops if s.late)


async def monitoring(deps: MonitoringDeps, admin: User, heartbeat_stale_after: dt.timedelta) -> Monitoring:
    require_admin(admin)
    now = deps.clock.now()
    async with deps.uow() as uow:
        shops = await uow.shops.syncable()
        failed = await uow.sync_runs.failed_since(now - FAILED_WINDOW, FAILED_SHOWN)
        beat = await uow.heartbeats.last(WORKER)
        size = await uow.database.size_bytes()
        names = {s.id: s.name for s in shops}
        for run in failed:  # a shop with a revoked key is not syncable, and is the likeliest to have failed
            if run.shop_id not in names:
                other = await uow.shops.by_id(run.shop_id)
                names[run.shop_id] = other.name if other else "—"
    lags = [ShopLag(shop=s, lag=now - s.last_synced_at if s.last_synced_at else None) for s in shops]
    lags.sort(key=lambda x: (x.lag is not None, -(x.lag or dt.timedelta()).total_seconds(), x.shop.name))
    age = now - beat if beat else None
    return Monitoring(now=now, shops=lags, heartbeat_age=age, database_bytes=size,
                      heartbeat_stale=age is None or age > heartbeat_stale_after,
                      failed=[FailedRun(run=r, shop_name=names.get(r.shop_id, "—")) for r in failed])
