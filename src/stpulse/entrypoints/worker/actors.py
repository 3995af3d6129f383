"""Dramatiq actors: decode ids, call one service. Each is idempotent (messages may be redelivered).

The actors are plain `async def` functions of a dependency source and the message's ids; `declare_actors` binds
them to a broker built by the composition root (`worker/broker.py`), so importing this module declares nothing."""

from __future__ import annotations

import functools
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import dramatiq
import structlog

from stpulse.application.ads.sync import sync_ads as run_ads
from stpulse.application.alerts.digest import send_digests
from stpulse.application.alerts.evaluate import evaluate_account
from stpulse.application.billing.notices import notify_endings, send_billing_notice
from stpulse.application.billing.payment_events import daily_billing
from stpulse.application.kernel.health import record_heartbeat
from stpulse.application.kernel.outbox import relay_outbox as relay
from stpulse.application.ozon.remap import recalculate_type as recalculate_accrual_type
from stpulse.application.ozon.sync import resume_stalled, sync_all
from stpulse.application.ozon.sync import sync_shop as run_sync
from stpulse.application.ozon.sync_ports import SyncKind
from stpulse.application.reports.warm import warm_reports as run_warm
from stpulse.entrypoints.deps import Deps
from stpulse.entrypoints.worker.retries import RetryPolicy

DepsSource = Callable[[], Deps]
log = structlog.get_logger()


async def heartbeat(deps: DepsSource) -> None:
    await record_heartbeat(deps())


async def sync_shop(deps: DepsSource, shop_id: str, kind: str = "hourly") -> None:
    """The sync, then the shop's ads and its reports by other jobs (the contexts never import each other)."""
    run = await run_sync(deps(), uuid.UUID(shop_id), SyncKind(kind))
    log.info("sync.ended", shop_id=shop_id, status=run.status.value if run else "skipped")  # bench/scale.py counts
    deps().jobs.enqueue("sync_ads", shop_id=shop_id)


async def sync_ads(deps: DepsSource, shop_id: str) -> None:
    """The shop's Performance keys after its accruals (so the spend they charged is known), then its reports."""
    results = await run_ads(deps(), uuid.UUID(shop_id))
    log.info("ads.ended", shop_id=shop_id, keys=len(results), failed=sum(not r.ok for r in results),
             kinds=sorted({r.kind for r in results if not r.ok}))  # bad_key | limit | unavailable | error
    deps().jobs.enqueue("warm_reports", shop_id=shop_id)
    deps().jobs.enqueue("evaluate_alerts", shop_id=shop_id)


async def warm_reports(deps: DepsSource, shop_id: str) -> None:
    await run_warm(deps(), uuid.UUID(shop_id))


async def recalculate_type(deps: DepsSource, type_id: str) -> None:
    """An admin remapped an accrual type: roll up again the stored days holding its lines."""
    await recalculate_accrual_type(deps(), int(type_id))


async def sync_all_shops(deps: DepsSource) -> None:
    await sync_all(deps())


async def resume_syncs(deps: DepsSource) -> None:
    await resume_stalled(deps())


async def relay_outbox(deps: DepsSource) -> None:
    """Send the jobs committed while the queue was unreachable (application/kernel/outbox.py)."""
    await relay(deps())


async def billing_daily(deps: DepsSource) -> None:
    """Auto-renew subscriptions ending soon (saved card), move statuses on, then e-mail trials ending in 3 days
    and subscriptions that expired (once each); idempotent per period."""
    await daily_billing(deps())
    await notify_endings(deps())


async def billing_notice(deps: DepsSource, notice: str, subject_id: str) -> None:
    """One billing e-mail (payment succeeded/failed, invoice issued), asked for through the outbox."""
    await send_billing_notice(deps(), notice, subject_id)


async def evaluate_alerts(deps: DepsSource, shop_id: str) -> None:
    """After a sync: the alert rules of the shop's account (issue 16)."""
    d = deps()
    async with d.uow() as uow:
        shop = await uow.shops.by_id(uuid.UUID(shop_id))
    if shop is not None:
        await evaluate_account(d, shop.account_id)


async def alerts_digest(deps: DepsSource) -> None:
    await send_digests(deps())


ACTORS: dict[str, tuple[Callable[..., Awaitable[None]], int]] = {  # name: (function, time limit in ms)
    "heartbeat": (heartbeat, 60_000),
    "sync_shop": (sync_shop, 6 * 3600_000),
    "sync_all_shops": (sync_all_shops, 60_000),
    "resume_syncs": (resume_syncs, 60_000),
    "warm_reports": (warm_reports, 30 * 60_000),
    "sync_ads": (sync_ads, 6 * 3600_000),
    "recalculate_type": (recalculate_type, 6 * 3600_000),
    "billing_daily": (billing_daily, 30 * 60_000),
    "relay_outbox": (relay_outbox, 60_000),
    "billing_notice": (billing_notice, 60_000),
    "evaluate_alerts": (evaluate_alerts, 10 * 60_000),
    "alerts_digest": (alerts_digest, 10 * 60_000),
}


def declare_actors(broker: dramatiq.Broker, deps: DepsSource, retry: RetryPolicy) -> dict[str, dramatiq.Actor[..., Any]]:
    """Declare every actor on this broker (messages address them by name through the JobQueue port)."""
    return {name: dramatiq.actor(broker=broker, actor_name=name, time_limit=limit, **retry.options())(_bound(fn, deps))
            for name, (fn, limit) in ACTORS.items()}


def _bound(fn: Callable[..., Awaitable[None]], deps: DepsSource) -> Callable[..., Awaitable[None]]:
    @functools.wraps(fn)
    async def actor(*args: str, **kwargs: str) -> None:
        await fn(deps, *args, **kwargs)

    return actor
