"""Dramatiq actors: decode ids, call one service. Each is idempotent (messages may be redelivered)."""

from __future__ import annotations

import asyncio
import uuid

import dramatiq
import structlog

from stpulse.application.kernel.health import record_heartbeat
from stpulse.entrypoints.bootstrap import Container, bootstrap
from stpulse.entrypoints.settings import Settings
from stpulse.entrypoints.worker.broker import get_broker

get_broker()  # actors bind to the process-wide broker at declaration time
log = structlog.get_logger()
_containers: dict[int, Container] = {}
_settings: Settings | None = None


def configure(settings: Settings) -> None:
    """Use these settings (not only the environment) for containers built in worker threads."""
    global _settings
    _settings = settings


def container() -> Container:
    """One container per worker event loop: database connections belong to the loop that opened them."""
    key = id(asyncio.get_running_loop())
    if key not in _containers:
        _containers[key] = bootstrap(_settings or Settings())
    return _containers[key]


@dramatiq.actor(actor_name="heartbeat", max_retries=0, time_limit=60_000)
async def heartbeat() -> None:
    await record_heartbeat(container().deps)


@dramatiq.actor(actor_name="sync_shop", max_retries=0, time_limit=6 * 3600_000)
async def sync_shop(shop_id: str, kind: str = "hourly") -> None:
    from stpulse.application.ozon.sync import sync_shop as run
    from stpulse.application.ozon.sync_ports import SyncKind

    await run(container().deps, uuid.UUID(shop_id), SyncKind(kind))


@dramatiq.actor(actor_name="sync_all_shops", max_retries=0, time_limit=60_000)
async def sync_all_shops() -> None:
    from stpulse.application.ozon.sync import sync_all

    await sync_all(container().deps)


@dramatiq.actor(actor_name="billing_daily", max_retries=0, time_limit=30 * 60_000)
async def billing_daily() -> None:
    """Auto-renew subscriptions ending soon (saved card) and move statuses on; idempotent per period."""
    from stpulse.application.billing.payment_events import daily_billing

    await daily_billing(container().deps)
