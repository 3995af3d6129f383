"""Ozon's limits on Performance reports shared by every worker process: leases in Redis that expire if a worker dies.

`ReportSlots` holds one running report per ad account and five per organisation inside one process; two workers
importing keys of one organisation would each allow five. Here the slots live in Redis, as the Seller API's budgets
do (`ratelimit_redis.py`): one sorted set per ad account and one per organisation, a member per report running (a
random token), scored by the moment its lease ends on Redis's own clock (so every process agrees). One Lua script
drops the expired leases and takes the account's and the organisation's slot together, or neither — waiting for
one never keeps the other busy. The holder renews its leases while Ozon builds the report and removes them when
Ozon says it is done; a worker that dies stops renewing, and its slots come back after `lease` seconds.

Why not a library: `limits` (and the GCRA of `ratelimit_redis.py`) limit how many requests start per period — a
report slot must be held until the report is done and given back, which a rate limit cannot express. The Redis
lock libraries (python-redis-lock, aioredlock, pottery's Redlock, redis-py's own `Lock`) are mutexes: they would
do for the account's one slot but not for the organisation's five, nor take both atomically. The few counting
semaphores on PyPI for Redis are unmaintained (redis-semaphore, 2016) or young and little used. Three short
scripts on the redis client the project already has are less to trust than any of them.

Inside the process the in-memory `ReportSlots` stays in front: only one coroutine per account asks Redis, and the
process's own figures (`running`, `peak`) keep working.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import random
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from typing import Any

from stpulse.adapters.ozon.performance_slots import PER_ACCOUNT, PER_ORGANISATION, ReportSlots

log = logging.getLogger(__name__)

_NOW = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
"""
# KEYS: the account's and the organisation's lease sets; ARGV: token, lease ms, limit of each key in order
_ACQUIRE = _NOW + """
local lease = tonumber(ARGV[2])
for i, key in ipairs(KEYS) do
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
  if redis.call('ZCARD', key) >= tonumber(ARGV[2 + i]) then return 0 end
end
for _, key in ipairs(KEYS) do
  redis.call('ZADD', key, now + lease, ARGV[1])
  redis.call('PEXPIRE', key, lease * 2)
end
return 1
"""
# a lease already swept away is not taken again: another holder may have its place (returns 0)
_RENEW = _NOW + """
local lease = tonumber(ARGV[2])
local held = 1
for _, key in ipairs(KEYS) do
  if redis.call('ZSCORE', key, ARGV[1]) then
    redis.call('ZADD', key, 'XX', now + lease, ARGV[1])
    redis.call('PEXPIRE', key, lease * 2)
  else
    held = 0
  end
end
return held
"""
_RELEASE = """
for _, key in ipairs(KEYS) do redis.call('ZREM', key, ARGV[1]) end
return 1
"""


def _tag(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:24]


class RedisReportSlots:
    """The same `hold(client_id, organisation)` as `ReportSlots`, with the slots in Redis under `prefix`."""

    def __init__(self, url: str = "", *, redis: Any = None, prefix: str = "stpulse:perf-slots",
                 per_account: int = PER_ACCOUNT, per_organisation: int = PER_ORGANISATION, lease: float = 60.0,
                 poll: float = 0.05) -> None:
        self.url, self.prefix, self.lease, self.poll = url, prefix, lease, poll
        self.per_account, self.per_organisation = per_account, per_organisation
        self.local = ReportSlots(per_account, per_organisation)
        self.running, self.peak = self.local.running, self.local.peak
        self.renewals_lost = 0
        self._redis = redis
        self._scripts: tuple[Any, Any, Any] | None = None

    def _client(self) -> tuple[Any, Any, Any]:
        if self._scripts is None:
            if self._redis is None:
                import redis.asyncio

                self._redis = redis.asyncio.Redis.from_url(self.url)
            self._scripts = tuple(self._redis.register_script(s) for s in (_ACQUIRE, _RENEW, _RELEASE))  # type: ignore[assignment]
        assert self._scripts is not None
        return self._scripts

    def keys(self, client_id: str, organisation: str) -> list[str]:
        return [f"{self.prefix}:account:{_tag(client_id)}", f"{self.prefix}:org:{_tag(organisation or client_id)}"]

    @asynccontextmanager
    async def hold(self, client_id: str, organisation: str) -> AsyncIterator[None]:
        async with self.local.hold(client_id, organisation):
            acquire, renew, release = self._client()
            keys, token, lease_ms = self.keys(client_id, organisation), uuid.uuid4().hex, int(self.lease * 1000)
            args = [token, lease_ms, self.per_account, self.per_organisation]
            while not int(await acquire(keys=keys, args=args)):  # noqa: ASYNC110 (the event is in another process)
                await asyncio.sleep(self.poll * (0.5 + random.random()))  # noqa: S311 (jitter, not a secret)
            renewing = asyncio.create_task(self._renew(renew, keys, token, lease_ms))
            try:
                yield
            finally:
                renewing.cancel()
                with suppress(asyncio.CancelledError):
                    await renewing
                try:
                    await asyncio.shield(release(keys=keys, args=[token]))
                except Exception as exc:  # Redis away: the lease ends by itself within `lease` seconds
                    log.warning("performance_slot_release_failed", extra={"error": type(exc).__name__})

    async def _renew(self, renew: Any, keys: list[str], token: str, lease_ms: int) -> None:
        while True:
            await asyncio.sleep(self.lease / 3)
            try:
                held = int(await renew(keys=keys, args=[token, lease_ms]))
            except Exception as exc:  # Redis away for a moment: the lease still has two thirds to run
                log.warning("performance_slot_renew_failed", extra={"error": type(exc).__name__})
                continue
            if not held:
                self.renewals_lost += 1
                log.warning("performance_slot_lease_lost", extra={"keys": keys})

    async def aclose(self) -> None:
        if self._redis is not None and self.url:  # a client passed in belongs to the caller
            await self._redis.aclose()
            self._redis, self._scripts = None, None
