"""Token buckets shared by every task that talks to Ozon with the same Client-Id.

Ozon limits requests per seller cabinet, not per connection, so two syncs of one cabinet running at
once must share one budget: buckets live in a module-level registry keyed by (client_id, bucket name).
A bucket hands out *reservations*: taking a token never awaits between reading and updating the state,
so concurrent tasks on one event loop cannot both take the last token, and no asyncio lock (bound to a
loop) is needed. The clock and the sleep are injectable so tests check the spacing without waiting.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Protocol

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]


class TokenBucket:
    def __init__(
        self, rate: float, burst: int = 1, *, clock: Clock = time.monotonic, sleep: Sleep = asyncio.sleep
    ) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("rate must be > 0 and burst >= 1")
        self.rate = rate
        self.burst = burst
        self._clock = clock
        self._sleep = sleep
        self._tokens = float(burst)
        self._stamp = clock()

    def reserve(self) -> float:
        """Take one token now; return how long the caller must wait before using it."""
        now = self._clock()
        self._tokens = min(float(self.burst), self._tokens + (now - self._stamp) * self.rate)
        self._stamp = now
        self._tokens -= 1.0
        return 0.0 if self._tokens >= 0 else -self._tokens / self.rate

    async def acquire(self) -> None:
        wait = self.reserve()
        if wait > 0:
            await self._sleep(wait)


class Bucket(Protocol):
    async def acquire(self) -> None: ...


class BucketSource(Protocol):
    """Where a client gets the bucket of (Client-Id, budget name): in-process (`shared_bucket`) or Redis."""

    def __call__(self, client_id: str, name: str, rate: float, burst: int = 1) -> Bucket: ...


_REGISTRY: dict[tuple[str, str], TokenBucket] = {}


def shared_bucket(
    client_id: str, name: str, rate: float, burst: int = 1, *, clock: Clock = time.monotonic,
    sleep: Sleep = asyncio.sleep,
) -> TokenBucket:
    """The one bucket for this cabinet and this budget; created with the first caller's settings."""
    key = (client_id, name)
    bucket = _REGISTRY.get(key)
    if bucket is None:
        bucket = _REGISTRY[key] = TokenBucket(rate, burst, clock=clock, sleep=sleep)
    return bucket


def reset_registry() -> None:
    """Forget every bucket (tests, or after settings change)."""
    _REGISTRY.clear()
