"""Token-bucket spacing with a fake clock: no wall time is measured."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from stpulse.adapters.ozon import OzonHttpSettings, OzonSellerClientFactory
from stpulse.adapters.ozon.ratelimit import TokenBucket, reset_registry, shared_bucket
from stpulse.application.ozon.ports import OzonCredentials
from tests.unit.ozon_adapter._ozon_fakes import CREDENTIALS, FakeOzon, ok


class FakeTime:
    """A clock that only moves when someone sleeps on it."""

    def __init__(self) -> None:
        self.now = 0.0
        self.wakeups: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds
        self.wakeups.append(self.now)


@pytest.fixture(autouse=True)
def _fresh_registry():
    reset_registry()
    yield
    reset_registry()


async def test_requests_are_spaced_by_the_rate_after_the_burst():
    t = FakeTime()
    bucket = TokenBucket(4.0, burst=2, clock=t.clock, sleep=t.sleep)
    starts = []
    for _ in range(6):
        await bucket.acquire()
        starts.append(t.now)
    assert starts == [0.0, 0.0, 0.25, 0.5, 0.75, 1.0]


async def test_idle_time_refills_but_never_beyond_the_burst():
    t = FakeTime()
    bucket = TokenBucket(1.0, burst=3, clock=t.clock, sleep=t.sleep)
    t.now = 100.0
    assert [bucket.reserve() for _ in range(5)] == [0.0, 0.0, 0.0, 1.0, 2.0]


async def test_concurrent_tasks_share_one_budget_through_reservations():
    t = FakeTime()
    bucket = TokenBucket(10.0, burst=1, clock=t.clock, sleep=lambda s: asyncio.sleep(0))
    waits = [bucket.reserve() for _ in range(5)]  # five tasks asking at the same instant
    assert waits == pytest.approx([0.0, 0.1, 0.2, 0.3, 0.4])


def test_registry_shares_a_bucket_per_client_id_and_budget():
    a = shared_bucket("111", "seller", 5)
    assert shared_bucket("111", "seller", 50) is a  # first caller's settings win
    assert shared_bucket("222", "seller", 5) is not a
    assert shared_bucket("111", "turnover", 1 / 60) is not a


async def test_two_clients_of_one_cabinet_draw_from_the_same_bucket():
    t = FakeTime()
    shared_bucket(CREDENTIALS.client_id, "seller", 2.0, 1, clock=t.clock, sleep=t.sleep)
    fake = FakeOzon()
    fake.routes["/v1/finance/accrual/types"] = lambda body, _: ok({"accrual_types": []})
    factory = OzonSellerClientFactory(OzonHttpSettings(base_url="https://ozon.test"), transport=fake.transport())
    first, second = factory(CREDENTIALS), factory(CREDENTIALS)
    other = factory(OzonCredentials(client_id="999", api_key="another-key-123456"))
    await asyncio.gather(first.accrual_types(), second.accrual_types(), first.accrual_types())
    await other.accrual_types()
    await factory.aclose()
    assert len(fake.requests) == 4
    assert t.wakeups == [0.5, 1.0]  # 3 calls of one cabinet at 2 rps: 0, 0.5, 1.0; the other cabinet free


def test_a_bucket_refuses_nonsense_settings():
    with pytest.raises(ValueError):
        TokenBucket(0)
    with pytest.raises(ValueError):
        TokenBucket(1, burst=0)


async def test_turnover_has_its_own_one_per_minute_budget():
    t = FakeTime()
    shared_bucket(CREDENTIALS.client_id, "turnover", 1 / 60, clock=t.clock, sleep=t.sleep)
    pages = [[{"sku": i} for i in range(1000)], [{"sku": 5000}]]
    fake = FakeOzon()
    fake.routes["/v1/analytics/turnover/stocks"] = lambda body, _: ok({"items": pages[body["offset"] // 1000]})
    factory = OzonSellerClientFactory(
        OzonHttpSettings(base_url="https://ozon.test", requests_per_second=1000), transport=fake.transport()
    )
    rows = await factory(CREDENTIALS).turnover()
    await factory.aclose()
    assert len(rows) == 1001 and [b["offset"] for b in fake.bodies("/v1/analytics/turnover/stocks")] == [0, 1000]
    assert t.wakeups == [pytest.approx(60.0)]


async def test_rate_limited_answers_do_not_bypass_the_bucket():
    t = FakeTime()
    bucket = shared_bucket(CREDENTIALS.client_id, "seller", 1.0, 1, clock=t.clock, sleep=t.sleep)
    fake = FakeOzon()
    fake.scripts["/v1/finance/accrual/types"] = [httpx.Response(429), ok({"accrual_types": []})]
    factory = OzonSellerClientFactory(
        OzonHttpSettings(base_url="https://ozon.test"), transport=fake.transport(), sleep=t.sleep,
        jitter=lambda: 0.0,
    )
    await factory(CREDENTIALS).accrual_types()
    await factory.aclose()
    assert bucket.rate == 1.0 and len(fake.requests) == 2
    # backoff sleeps 0.25 s (t=0.25); the retry then waits for its token until t=1.0
    assert t.wakeups == [0.25, 1.0]
