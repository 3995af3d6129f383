"""The adapter against the in-process Ozon sandbox (httpx.ASGITransport): totals to the kopeck against the
sandbox's ground truth, the same normalised lines, and no more requests than the page sizes require."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter

import httpx
import pytest

sandbox = pytest.importorskip("stpulse.adapters.sandbox.ozon")

from stpulse.adapters.ozon import OzonHttpSettings, OzonSellerClientFactory  # noqa: E402
from stpulse.adapters.ozon.ratelimit import reset_registry  # noqa: E402
from stpulse.application.ozon.ports import OzonCredentials, OzonKeyInvalid  # noqa: E402
from tests.unit.ozon_adapter._ozon_fakes import RecordingSleep  # noqa: E402

CREDS = OzonCredentials(client_id="77001", api_key="sandbox-api-key-0001")
DAYS = [dt.date(2026, 9, 26), dt.date(2026, 9, 27), dt.date(2026, 3, 8)]


def make_app(profile: str, faults=None):
    shop = sandbox.ShopConfig(client_id=CREDS.client_id, api_key=CREDS.api_key, seed=11, profile=profile)
    config = sandbox.SandboxConfig(shops=[shop], faults=faults or sandbox.FaultConfig())
    return sandbox.create_sandbox_app(config)


def factory_for(app, sleep=None) -> OzonSellerClientFactory:
    reset_registry()
    settings = OzonHttpSettings(base_url="http://sandbox.test", requests_per_second=1e6, burst=1000, max_attempts=6)
    return OzonSellerClientFactory(settings, transport=httpx.ASGITransport(app=app), sleep=sleep or RecordingSleep())


def line_key(line):
    return (line.accrual_id, line.line_no, line.date, line.category, line.unit_number, line.sku,
            line.component, line.type_id, line.amount, line.quantity)


@pytest.mark.parametrize("profile", ["small", "medium"])
async def test_accrual_days_match_ground_truth_with_minimum_requests(profile):
    app = make_app(profile)
    world = sandbox.sandbox_state(app).world(CREDS.client_id)
    factory = factory_for(app)
    client = factory(CREDS)
    try:
        for day in DAYS:
            before = client.requests_sent
            records = [r async for page in client.accruals_by_day(day) for r in page.records]
            truth = sandbox.ground_truth(world, day, day)
            assert sum(r.total_amount for r in records) == truth.total
            assert sum(line.amount for r in records for line in r.lines) == truth.total
            assert len(records) == truth.n_accruals and sum(r.balancing_lines for r in records) == 0
            expected = [line_key(x) for x in sandbox.iter_accrual_lines(world, day, day)]
            assert [line_key(x) for r in records for x in r.lines] == expected
            pages = max(1, math.ceil(truth.n_accruals / sandbox_limits().ACCRUAL_BY_DAY_PAGE_SIZE))
            assert client.requests_sent - before == pages
    finally:
        await factory.aclose()


def sandbox_limits():
    from stpulse.adapters.sandbox.ozon import limits

    return limits


async def test_accruals_survive_injected_429_and_5xx():
    faults = sandbox.FaultConfig(share_429=0.3, share_5xx=0.2, seed=3)
    app = make_app("small", faults)
    world = sandbox.sandbox_state(app).world(CREDS.client_id)
    sleep = RecordingSleep()
    factory = factory_for(app, sleep)
    client = factory(CREDS)
    try:
        totals = {}
        for day in DAYS:
            totals[day] = sum([r.total_amount async for page in client.accruals_by_day(day) for r in page.records])
    finally:
        await factory.aclose()
    assert totals == {day: sandbox.ground_truth(world, day, day).total for day in DAYS}
    assert client.requests_sent > len(DAYS) and sleep.calls  # faults were met and retried


async def test_postings_and_returns_over_a_period_match_ground_truth():
    app = make_app("small")
    world = sandbox.sandbox_state(app).world(CREDS.client_id)
    first, last = dt.date(2026, 9, 1), dt.date(2026, 9, 20)
    since, _ = sandbox.moscow_day_bounds(first)
    _, to = sandbox.moscow_day_bounds(last)
    to -= dt.timedelta(milliseconds=1)
    factory = factory_for(app)
    client = factory(CREDS)
    try:
        fbo = [p async for batch in client.postings_fbo(since, to) for p in batch]
        fbs = [p async for batch in client.postings_fbs(since, to) for p in batch]
        returns = [r async for batch in client.returns(since, to) for r in batch]
        requests_for_lists = client.requests_sent
        products = await client.products()
    finally:
        await factory.aclose()
    truth = sandbox.ground_truth(world, first, last)
    assert len(fbo) == truth.postings_fbo and len(fbs) == truth.postings_fbs
    assert len({p.posting_number for p in fbo + fbs}) == len(fbo) + len(fbs)
    assert Counter(p.scheme for p in fbo + fbs) == Counter({"FBO": len(fbo), "FBS": len(fbs)})
    assert len(returns) == truth.returns
    assert len(products) >= truth.products
    pages = max(1, math.ceil(len(fbo) / 100)) + max(1, math.ceil(len(fbs) / 100)) + max(1, math.ceil(len(returns) / 500))
    assert requests_for_lists == pages  # has_next is exact: a full last page needs no extra request


async def test_postings_over_more_than_a_year_come_once_in_windows_the_sandbox_accepts():
    app = make_app("small")
    world = sandbox.sandbox_state(app).world(CREDS.client_id)
    first, last = dt.date(2025, 8, 1), dt.date(2026, 9, 20)  # 416 days: two windows
    since, _ = sandbox.moscow_day_bounds(first)
    _, to = sandbox.moscow_day_bounds(last)
    factory = factory_for(app)
    client = factory(CREDS)
    try:
        fbo = [p async for batch in client.postings_fbo(since, to - dt.timedelta(milliseconds=1)) for p in batch]
        fbs = [p async for batch in client.postings_fbs(since, to - dt.timedelta(milliseconds=1)) for p in batch]
    finally:
        await factory.aclose()
    truth = sandbox.ground_truth(world, first, last)
    assert len(fbo) == truth.postings_fbo and len(fbs) == truth.postings_fbs
    assert len({p.posting_number for p in fbo + fbs}) == len(fbo) + len(fbs)


async def test_a_wrong_key_is_refused_as_key_invalid():
    app = make_app("small")
    factory = factory_for(app)
    try:
        with pytest.raises(OzonKeyInvalid) as info:
            await factory(OzonCredentials(client_id=CREDS.client_id, api_key="wrong-key-000000")).check_access()
    finally:
        await factory.aclose()
    assert "wrong-key-000000" not in str(info.value)
