"""Import of the ad statistics of a shop's Performance keys: the hourly sync and the backfill, resumable.

Each key (ad account) imports on its own: its campaigns, then its period cut into Ozon's reports (≤ 10 campaigns,
≤ 62 days; `domain/ads/plan.py`), oldest days first. The statistics of each span of days are written with the key's
checkpoint (`done_through`) in one transaction, so a killed import resumes after the last span written and a span
re-read replaces its rows (no gap, no double). The keys of a shop import concurrently; the adapter holds Ozon's
limits (one running report per account, five per organisation). A refused key stops only itself.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections.abc import Coroutine
from typing import Any

import msgspec

from stpulse.application.ads.deps import AdsConfig, AdsDeps
from stpulse.application.ads.ports import (
    OzonPerformanceApi,
    PerformanceCredentials,
    PerformanceError,
    PerformanceKeyInvalid,
    StoredKey,
)
from stpulse.domain.ads.charges import with_cabinet_share
from stpulse.domain.ads.keys import KeyStatus, PerformanceKey, refused_message
from stpulse.domain.ads.plan import MAX_DAYS, plan_reports
from stpulse.domain.kernel.moscow import moscow_today
from stpulse.domain.ledger.ad_stats import AdCampaignInfo, AdStat


class KeyResult(msgspec.Struct, frozen=True, kw_only=True):
    key_id: uuid.UUID
    ok: bool
    days: int = 0
    rows: int = 0
    error: str = ""
    kind: str = ""  # bad_key | limit | unavailable | error


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def import_range(key: PerformanceKey, today: dt.date, cfg: AdsConfig) -> tuple[dt.date, dt.date]:
    if key.done_through is None:
        return add_months(today.replace(day=1), -(cfg.backfill_months - 1)), today
    return min(key.done_through + dt.timedelta(days=1), today - dt.timedelta(days=cfg.recent_days - 1)), today


def spans(first: dt.date, last: dt.date) -> list[tuple[dt.date, dt.date]]:
    """Runs of ≤ 62 days, equal in length (the fewest reports, each about as long as the others)."""
    total = (last - first).days + 1
    if total <= 0:
        return []
    n = -(-total // MAX_DAYS)
    size = -(-total // n)
    return [(first + dt.timedelta(days=i), min(last, first + dt.timedelta(days=i + size - 1)))
            for i in range(0, total, size)]


async def sync_ads(deps: AdsDeps, shop_id: uuid.UUID) -> list[KeyResult]:
    """Every active key of the shop, concurrently (the keys read in one unit of work: the first reports are asked
    without waiting for a connection per key)."""
    async with deps.uow() as uow:
        shop = await uow.shops.by_id(shop_id)
        keys = [] if shop is None else await uow.ad_keys.of_shop(shop.account_id, shop_id)
        stored = [s for k in keys if k.status is KeyStatus.ACTIVE and (s := await uow.ad_keys.by_id(k.id))]
    return list(await asyncio.gather(*(_import_key(deps, s) for s in stored)))


async def import_key(deps: AdsDeps, key_id: uuid.UUID) -> KeyResult:
    async with deps.uow() as uow:
        stored = await uow.ad_keys.by_id(key_id)
    if stored is None:
        return KeyResult(key_id=key_id, ok=False, error="ключ не найден или отключён", kind="error")
    return await _import_key(deps, stored)


async def _import_key(deps: AdsDeps, stored: StoredKey) -> KeyResult:
    if stored.key.status is not KeyStatus.ACTIVE or deps.performance is None:
        return KeyResult(key_id=stored.key.id, ok=False, error="ключ не найден или отключён", kind="error")
    key = stored.key
    api = deps.performance(PerformanceCredentials(client_id=key.client_id, organisation=key.organisation,
                                                  client_secret=deps.secrets.decrypt(stored.secret)))
    try:
        return await _import(deps, api, key)
    except PerformanceError as exc:
        refused = exc if isinstance(exc, PerformanceKeyInvalid) else None  # this key stops; the others go on
        status = KeyStatus.INVALID if refused else KeyStatus.ACTIVE
        message = refused_message(key, refused.detail) if refused else exc.message
        async with deps.uow() as uow:
            await uow.ad_keys.set_status(key.id, status, message, deps.clock.now())
            await uow.commit()
        return KeyResult(key_id=key.id, ok=False, error=message, kind=exc.kind)


async def _import(deps: AdsDeps, api: OzonPerformanceApi, key: PerformanceKey) -> KeyResult:
    first, last = import_range(key, moscow_today(deps.clock.now()), deps.ads)
    campaigns = await api.campaigns()
    ids = [c.campaign_id for c in campaigns]
    # pending: the chain of writes, in order — the campaigns first, saved while the first report runs
    pending: asyncio.Task[None] | None = asyncio.create_task(_write_after(None, _save_campaigns(deps, key, campaigns)))
    plan, rows = spans(first, last), 0
    ahead = _fetch(api, ids, *plan[0]) if plan else None
    try:
        for i, (low, high) in enumerate(plan):
            current, ahead = ahead, _fetch(api, ids, *plan[i + 1]) if i + 1 < len(plan) else None
            assert current is not None
            stats = await current  # the next span's report is asked as soon as this one's is done at Ozon
            pending = asyncio.create_task(_write_after(pending, _write_span(deps, key, ids, low, high, stats)))
            rows += len(stats)
    finally:  # a span fetched is written (and checkpointed) even when the next report fails
        await _drop(ahead)
        if pending is not None:
            await pending
    return KeyResult(key_id=key.id, ok=True, days=(last - first).days + 1, rows=rows)


def _fetch(api: OzonPerformanceApi, ids: list[int], low: dt.date, high: dt.date) -> asyncio.Task[list[AdStat]]:
    """The reports of one span, asked at once: the adapter runs them one at a time per ad account (Ozon's limit),
    so each is asked the moment the one before it is done, while that one downloads and is parsed."""
    return asyncio.create_task(_span_stats(api, ids, low, high))


async def _span_stats(api: OzonPerformanceApi, ids: list[int], low: dt.date, high: dt.date) -> list[AdStat]:
    tasks = [asyncio.create_task(api.statistics(r.campaigns, r.date_from, r.date_to))
             for r in plan_reports(ids, low, high)]
    try:
        return [s for t in tasks for s in await t]
    finally:
        for t in tasks:
            await _drop(t)


async def _drop(task: asyncio.Task[Any] | None) -> None:
    """A report no longer wanted (one before it failed): cancelled, its outcome collected."""
    if task is not None:
        task.cancel()  # nothing for a task already done
        await asyncio.gather(task, return_exceptions=True)  # its failure or cancellation; ours still propagates


async def _save_campaigns(deps: AdsDeps, key: PerformanceKey, campaigns: list[AdCampaignInfo]) -> None:
    async with deps.uow() as uow:
        await uow.ad_stats.save_campaigns(key.shop_id, key.id, campaigns)
        await uow.commit()


async def _write_after(previous: asyncio.Task[None] | None, write: Coroutine[Any, Any, None]) -> None:
    """Spans are written in order (the checkpoint only moves forward), never holding up the next report."""
    if previous is not None:
        try:
            await previous
        except BaseException:
            write.close()
            raise
    await write


async def _write_span(deps: AdsDeps, key: PerformanceKey, ids: list[int], low: dt.date, high: dt.date,
                      stats: list[AdStat]) -> None:
    """The span's statistics, their cabinet share, the rollups of their days and the checkpoint: one transaction."""
    async with deps.uow() as uow:
        charged = await uow.ad_stats.accrual_charges(key.shop_id, ids, low, high)
        await uow.ad_stats.replace_stats(key.shop_id, key.id, ids, low, high, with_cabinet_share(stats, charged))
        await uow.ad_stats.rebuild_cabinet_rollups(key.shop_id, low, high)
        await uow.ad_keys.set_done_through(key.id, high, deps.clock.now())
        await uow.commit()
