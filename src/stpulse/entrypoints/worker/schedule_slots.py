"""Who enqueues a periodic job's period: the one scheduler that claims its slot.

In production several `stpulse worker` processes each run a scheduler thread; a Redis `SET NX` on the key of
(job, period number) lets exactly one of them enqueue, so the hourly sync runs once per shop per hour however many
workers there are. The key lives two periods, long after every scheduler has moved on. Embedded mode has one
process and claims every slot locally."""

from __future__ import annotations

from typing import Protocol

import redis

from stpulse.entrypoints.settings import Settings


class Slots(Protocol):
    def claim(self, job: str, slot: int, every: float) -> bool: ...


class LocalSlots:
    def claim(self, job: str, slot: int, every: float) -> bool:
        return True


class RedisSlots:
    def __init__(self, url: str, prefix: str = "stpulse:schedule") -> None:
        self.redis, self.prefix = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5), prefix

    def claim(self, job: str, slot: int, every: float) -> bool:
        ttl = max(2, int(every * 2))
        return bool(self.redis.set(f"{self.prefix}:{job}:{slot}", b"1", nx=True, ex=ttl))


def slots_for(settings: Settings) -> Slots:
    return RedisSlots(settings.redis_url) if settings.redis_url else LocalSlots()
