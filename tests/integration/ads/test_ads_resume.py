"""Acceptance 3 of issue 14: a killed ads import resumes without gaps or doubles; a revoked key stops that key
only, with a clear message kept on the key (the shop page shows it: test_ads_web.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from stpulse.adapters.sandbox.ozon import FaultConfig, sandbox_state
from stpulse.adapters.sandbox.ozon.http.app import performance_state
from stpulse.application.ads.keys import AddKey, add_key, list_keys
from stpulse.application.ads.sync import sync_ads
from stpulse.domain.ads.keys import KeyStatus
from stpulse.domain.ledger.articles import EXTERNAL_ADS
from stpulse.entrypoints.bootstrap import bootstrap
from stpulse.entrypoints.settings import Settings
from tests.fakes import FixedClock, PlainHasher, RecordingQueue
from tests.integration.ads.conftest import ACCOUNTS, NOW, SELLER, SELLER_KEY, ads_sandbox, performance_factory
from tests.integration.ozon_sync import helpers as h

FIRST, LAST = dt.date(2025, 10, 1), dt.date(2026, 9, 30)


class Killed(Exception):
    """The worker died mid-import (not a PerformanceError: nothing catches it)."""


class KillingFactory:
    """The real factory, but the n-th statistics report of the run never comes back."""

    def __init__(self, inner, after: int) -> None:  # type: ignore[no-untyped-def]
        self.inner, self.left, self.shared = inner, after, inner.shared

    def __call__(self, credentials):  # type: ignore[no-untyped-def]
        client, factory = self.inner(credentials), self

        class Dying:
            async def check(self) -> None:
                await client.check()

            async def campaigns(self):  # type: ignore[no-untyped-def]
                return await client.campaigns()

            async def statistics(self, ids, first, last):  # type: ignore[no-untyped-def]
                factory.left -= 1
                if factory.left < 0:
                    raise Killed
                return await client.statistics(ids, first, last)

        return Dying()

    async def aclose(self) -> None:
        await self.inner.aclose()


@pytest.fixture
async def shop(ads_db, tmp_path):  # type: ignore[no-untyped-def]
    app = ads_sandbox(profile="small")
    perf = performance_factory(app)
    settings = Settings(mode="production", database_url=ads_db, data_dir=tmp_path, log_json=True)
    container = bootstrap(settings, ozon=h.ozon_factory(app), performance=perf, jobs=RecordingQueue(),
                          hasher=PlainHasher(), clock=FixedClock(NOW))
    actor = await h.new_actor(container.deps, f"resume-{tmp_path.name}@example.com")
    shop_id = await h.connect(container.deps, actor, SELLER, SELLER_KEY, name=f"Магазин {tmp_path.name}")
    for i, account in enumerate(ACCOUNTS):
        await add_key(container.deps, actor, shop_id, AddKey(label=f"Кабинет {i + 1}", organisation=account.organisation,
                                                             client_id=account.client_id,
                                                             client_secret=account.client_secret))
    yield {"app": app, "perf": perf, "container": container, "actor": actor, "shop": shop_id, "pg": ads_db}
    await container.close()


def truth(app) -> dict:  # type: ignore[no-untyped-def]
    state = performance_state(app)
    return {(cid, sku, day): spend for account in ACCOUNTS
            for day, cid, sku, spend, *_ in state.world(account).rows(FIRST, LAST)}


async def stored(pg: str, shop_id) -> dict:  # type: ignore[no-untyped-def]
    rows = await h.fetch(pg, "SELECT campaign_id, sku, day, spend FROM ad_stats WHERE shop_id = $1", shop_id)
    return {(r["campaign_id"], r["sku"], r["day"]): r["spend"] for r in rows}


async def test_a_killed_import_resumes_without_gaps_or_doubles(shop):  # type: ignore[no-untyped-def]
    container = shop["container"]
    container.deps = type(container.deps)(**{**container.deps.__dict__,
                                             "performance": KillingFactory(shop["perf"], after=7)})
    with pytest.raises(Killed):
        await sync_ads(container.deps, shop["shop"])
    keys = await list_keys(container.deps, shop["actor"], shop["shop"])
    assert any(k.done_through is None or k.done_through < LAST for k in keys)  # stopped midway
    partial = await stored(shop["pg"], shop["shop"])
    assert partial and partial.items() <= truth(shop["app"]).items()  # what was written is whole and true
    container.deps = type(container.deps)(**{**container.deps.__dict__, "performance": shop["perf"]})
    results = await sync_ads(container.deps, shop["shop"])
    assert all(r.ok for r in results), results
    assert await stored(shop["pg"], shop["shop"]) == truth(shop["app"])
    cabinet = await h.fetch(shop["pg"], "SELECT coalesce(sum(amount), 0) AS s FROM sku_monthly_rollups "
                                        "WHERE shop_id = $1 AND article = $2", shop["shop"], EXTERNAL_ADS)
    spent = await h.fetch(shop["pg"], "SELECT sum(cabinet) AS s FROM ad_stats WHERE shop_id = $1", shop["shop"])
    assert -int(cabinet[0]["s"]) == int(spent[0]["s"]) > 0  # the rollups hold each cabinet rouble once
    again = await sync_ads(container.deps, shop["shop"])  # the hourly run: the last days again, nothing changes
    assert all(r.ok for r in again) and await stored(shop["pg"], shop["shop"]) == truth(shop["app"])
    assert performance_state(shop["app"]).counters.refusals_429 == 0


async def test_a_revoked_key_stops_only_itself(shop):  # type: ignore[no-untyped-def]
    revoked = ACCOUNTS[1].client_id
    sandbox_state(shop["app"]).set_faults(FaultConfig(revoked_client_ids={revoked}))
    deps = shop["container"].deps
    results = {r.key_id: r for r in await sync_ads(deps, shop["shop"])}
    keys = {k.client_id: k for k in await list_keys(deps, shop["actor"], shop["shop"])}
    bad = keys[revoked]
    assert bad.status is KeyStatus.INVALID and "отозван или неверен" in bad.last_error and bad.outcome == "refused"
    assert results[bad.id].kind == "bad_key" and not results[bad.id].ok
    assert all(results[k.id].ok and k.status is KeyStatus.ACTIVE and k.done_through == LAST
               for cid, k in keys.items() if cid != revoked)
    assert {r.key_id for r in await sync_ads(deps, shop["shop"])} == {k.id for c, k in keys.items() if c != revoked}
