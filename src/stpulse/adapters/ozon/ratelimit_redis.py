"""Ozon's per-Client-Id budgets shared by every process through Redis (production: several workers).

A GCRA reservation in one Lua script: the key holds the theoretical arrival time (microseconds, Redis's own
clock so every process agrees) of the next token; a caller takes the next slot atomically and sleeps until it.
Two workers syncing one cabinet therefore share Ozon's allowance instead of each spending all of it. The
embedded mode keeps the in-process buckets of `ratelimit.py`."""

from __future__ import annotations

import asyncio
from typing import Any

from stpulse.adapters.ozon.ratelimit import Sleep

_RESERVE = """
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
tat = tat + interval
redis.call('SET', KEYS[1], string.format('%d', tat), 'PX', math.ceil((tat - now) / 1000) + 1000)
local wait = tat - now - burst * interval
if wait < 0 then wait = 0 end
return wait
"""


class RedisTokenBucket:
    """The same contract as `TokenBucket.acquire`, with the state in Redis under `key`."""

    def __init__(self, redis: Any, key: str, rate: float, burst: int = 1, *, sleep: Sleep = asyncio.sleep) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("rate must be > 0 and burst >= 1")
        self.key, self.burst, self._sleep = key, burst, sleep
        self.interval_us = max(1, round(1_000_000 / rate))
        self._script = redis.register_script(_RESERVE)

    async def reserve(self) -> float:
        """Take the next slot; return the seconds to wait before using it."""
        wait_us = await self._script(keys=[self.key], args=[self.interval_us, self.burst])
        return int(wait_us) / 1_000_000

    async def acquire(self) -> None:
        wait = await self.reserve()
        if wait > 0:
            await self._sleep(wait)


class RedisBuckets:
    """Bucket source for `OzonSellerClientFactory`: one Redis client (opened lazily on the caller's loop)."""

    def __init__(self, url: str, prefix: str = "stpulse:ozon-rate") -> None:
        self.url, self.prefix = url, prefix
        self._redis: Any = None

    def __call__(self, client_id: str, name: str, rate: float, burst: int = 1) -> RedisTokenBucket:
        if self._redis is None:
            import redis.asyncio

            self._redis = redis.asyncio.Redis.from_url(self.url)
        return RedisTokenBucket(self._redis, f"{self.prefix}:{client_id}:{name}", rate, burst)

    async def aclose(self) -> None:
        if self._redis is not None:
            await self._redis.aclose()
            self._redis = None
