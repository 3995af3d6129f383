"""Ozon's per-Client-Id allowance is shared through Redis by every process (issue 19)."""

from __future__ import annotations

import uuid

import redis.asyncio

from stpulse.adapters.ozon.ratelimit import shared_bucket
from stpulse.adapters.ozon.ratelimit_redis import RedisBuckets
from stpulse.entrypoints.ozon_wiring import ozon_factory
from stpulse.entrypoints.settings import Settings
from tests.services import REDIS_URL, require_services


async def test_two_limiters_sharing_redis_space_one_cabinets_requests() -> None:
    require_services()
    first, second = RedisBuckets(REDIS_URL), RedisBuckets(REDIS_URL)  # two processes: two clients
    client_id = f"test-{uuid.uuid4().hex}"
    a, b = first(client_id, "seller", rate=10.0), second(client_id, "seller", rate=10.0)
    waits = [await a.reserve(), await b.reserve(), await a.reserve(), await b.reserve()]
    assert waits[0] == 0.0
    # each reservation waits one more interval (0.1 s) than the one before, whichever process took it
    assert [round(w, 1) for w in waits[1:]] == [0.1, 0.2, 0.3]
    other = await first(f"{client_id}-other", "seller", rate=10.0).reserve()
    assert other == 0.0  # another cabinet has its own budget
    await first.aclose()
    await second.aclose()


async def test_burst_is_free_then_spaced() -> None:
    require_services()
    buckets = RedisBuckets(REDIS_URL)
    bucket = buckets(f"test-{uuid.uuid4().hex}", "seller", rate=5.0, burst=3)
    waits = [await bucket.reserve() for _ in range(4)]
    assert waits[:3] == [0.0, 0.0, 0.0] and round(waits[3], 1) == 0.2
    await buckets.aclose()


def test_production_factory_uses_redis_and_embedded_keeps_the_in_process_bucket(tmp_path) -> None:  # type: ignore[no-untyped-def]
    prod = ozon_factory(Settings(redis_url=REDIS_URL, data_dir=tmp_path, ozon_seller_url="https://ozon.example"))
    assert isinstance(prod._buckets, RedisBuckets)
    assert ozon_factory(Settings(data_dir=tmp_path))._buckets is shared_bucket


async def test_a_client_acquires_through_redis() -> None:
    require_services()
    key = f"test-{uuid.uuid4().hex}"
    buckets = RedisBuckets(REDIS_URL)
    await buckets(key, "seller", rate=1.0).acquire()
    raw = redis.asyncio.Redis.from_url(REDIS_URL)
    assert await raw.exists(f"stpulse:ozon-rate:{key}:seller") == 1
    await raw.aclose()
    await buckets.aclose()
