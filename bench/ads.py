"""Benchmark (issue 14, acceptance 4): the ads backfill of a medium sandbox seller with three ad accounts — two in
one organisation, one in another — 12 months, through the real import (`sync_ads`: adapter, queue, PostgreSQL
writes) against the Performance sandbox with Ozon's limits (one running report per account → 429, five per
organisation, ≤ 10 campaigns, ≤ 62 days) and a report-generation delay (STPULSE_BENCH_REPORT_S, 2 s, plus
0.5 ms per campaign-day asked for).

Prints requests made vs the minimum Ozon's limits allow (per account: a token, the campaign list, and per report
the request, one status poll and the download) and wall time vs the limit-bound minimum (one running report per
account: the sum of its reports' generation times, the slowest account). Last line: one JSON object.
Run: `python -m bench.ads` (STPULSE_BENCH_PG to point at PostgreSQL).
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import json
import os
import tempfile
import time
import uuid
from pathlib import Path

import asyncpg
import httpx

from stpulse.adapters.db.migrate import upgrade
from stpulse.adapters.ozon import OzonHttpSettings, OzonSellerClientFactory
from stpulse.adapters.ozon.performance import PerformanceApiFactory, PerformanceSettings
from stpulse.adapters.sandbox.ozon import SandboxConfig, ShopConfig, create_sandbox_app
from stpulse.adapters.sandbox.ozon.http.app import performance_state
from stpulse.adapters.sandbox.ozon.performance.config import AdAccountConfig, PerformanceConfig, ad_client_id
from stpulse.application.accounts.identity import Register, register_new
from stpulse.application.ads.keys import AddKey, add_key
from stpulse.application.ads.sync import import_range, spans, sync_ads
from stpulse.application.ozon.shops import ConnectShop, connect_shop
from stpulse.domain.ads.plan import plan_reports
from stpulse.entrypoints.bootstrap import bootstrap
from stpulse.entrypoints.settings import Settings

PG = os.environ.get("STPULSE_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
PROFILE = os.environ.get("STPULSE_BENCH_PROFILE", "medium")
REPORT_S = float(os.environ.get("STPULSE_BENCH_REPORT_S", "2.0"))
PER_CAMPAIGN_DAY_S = 0.0005
SELLER, KEY = "930001", "bench-ads-key"
ACCOUNTS = [AdAccountConfig(client_id=ad_client_id(930_000 + i), client_secret=f"secret-{i}", seller=SELLER,
                            organisation=org) for i, org in enumerate(("ООО «Альфа»", "ООО «Альфа»", "ИП Бета"))]
NOW = dt.datetime(2026, 9, 30, 12, 0, tzinfo=dt.UTC)


class Clock:
    def now(self) -> dt.datetime:
        return NOW


def minimum(app, config: PerformanceConfig) -> tuple[int, float, int]:  # type: ignore[no-untyped-def]
    """(requests, seconds, reports) Ozon's limits allow at best for the backfill of every account."""
    state, requests, slowest, reports = performance_state(app), 0, 0.0, 0
    first, last = import_range_of_backfill()
    for account in ACCOUNTS:
        ids = [c.id for c in state.world(account).campaigns]
        plan = [r for low, high in spans(first, last) for r in plan_reports(ids, low, high)]
        requests += 2 + 3 * len(plan)
        reports += len(plan)
        slowest = max(slowest, sum(config.report_seconds(len(r.campaigns), r.days) for r in plan))
    return requests, slowest, reports


def state_start(state) -> float:  # type: ignore[no-untyped-def]
    return min(r.created for r in state.reports.values())


def import_range_of_backfill() -> tuple[dt.date, dt.date]:
    from stpulse.application.ads.deps import AdsConfig
    from stpulse.domain.ads.keys import PerformanceKey

    key = PerformanceKey(id=uuid.uuid4(), account_id=uuid.uuid4(), shop_id=uuid.uuid4(), label="", organisation="",
                         client_id="", created_at=NOW)
    return import_range(key, NOW.date(), AdsConfig())


async def warm_sandbox(transport: httpx.AsyncBaseTransport) -> None:
    """The in-process sandbox's first statistics request imports and builds its handler machinery on this event loop
    (≈ 0.1–0.5 s, the import's own loop stalled); Ozon's servers are warm. A refused request (no campaigns) warms it
    without starting a report."""
    a = ACCOUNTS[0]
    async with httpx.AsyncClient(transport=transport, base_url="http://sandbox.test") as http:
        token = (await http.post("/api/client/token", json={"client_id": a.client_id, "client_secret": a.client_secret,
                                                            "grant_type": "client_credentials"})).json()["access_token"]
        answer = await http.post("/api/client/statistics/json", json={"campaigns": []},
                                 headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 400, answer.text


async def main() -> None:
    name = f"stpulse_bench_ads_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(PG)
    await admin.execute(f'CREATE DATABASE "{name}"')
    await admin.close()
    url = f"{PG.rsplit('/', 1)[0]}/{name}".replace("postgresql://", "postgresql+asyncpg://")
    try:
        await asyncio.to_thread(upgrade, url)
        await run(url)
    finally:
        admin = await asyncpg.connect(PG)
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


async def run(url: str) -> None:
    config = PerformanceConfig(accounts=ACCOUNTS, report_base_seconds=REPORT_S,
                               report_seconds_per_campaign_day=PER_CAMPAIGN_DAY_S)
    app = create_sandbox_app(SandboxConfig(shops=[ShopConfig(client_id=SELLER, api_key=KEY, seed=42, profile=PROFILE)],
                                           performance=config))
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    perf = PerformanceApiFactory(PerformanceSettings(base_url="http://sandbox.test"), transport=transport)
    # the backfill runs in a worker process: its own factory (tokens, pacing), not the web's that checked the keys
    worker = PerformanceApiFactory(PerformanceSettings(base_url="http://sandbox.test"), transport=transport)
    seller = OzonSellerClientFactory(OzonHttpSettings(base_url="http://sandbox.test", requests_per_second=1e6),
                                     transport=transport)
    settings = Settings(mode="production", database_url=url, data_dir=Path(tempfile.mkdtemp()), log_level="WARNING")
    container = bootstrap(settings, ozon=seller, performance=perf, clock=Clock())
    deps = container.deps
    try:
        user = await register_new(deps, Register(email="bench-ads@example.ru", password="password-12345",
                                                 password_confirm="password-12345", full_name="Бенч", consent=True))
        from stpulse.application.accounts.actor import Actor
        from stpulse.application.accounts.admin_users import make_admin
        from stpulse.application.billing.admin import AdminAction, extend

        admin = await make_admin(deps, "bench-ads-admin@example.ru", "admin-password-1")
        await extend(deps, admin, user.id, AdminAction(reason="бенч", days=365, tariff_code="pro"))
        async with deps.uow() as uow:
            membership = (await uow.memberships.for_user(user.id))[0]
            account = await uow.accounts.get(membership.account_id)
        assert account is not None
        actor = Actor(user=user, account=account, membership=membership)
        shop = await connect_shop(deps, actor, ConnectShop(name="Бенч", client_id=SELLER, api_key=KEY))
        for i, a in enumerate(ACCOUNTS):
            await add_key(deps, actor, shop.id, AddKey(label=f"Кабинет {i + 1}", organisation=a.organisation,
                                                       client_id=a.client_id, client_secret=a.client_secret))
        deps = dataclasses.replace(deps, performance=worker)
        await warm_sandbox(transport)
        state = performance_state(app)
        before, refusals_before = state.counters.requests, state.counters.refusals_429
        started, mono_start = time.perf_counter(), time.monotonic()  # the sandbox's clock is time.monotonic
        results = await sync_ads(deps, shop.id)
        seconds, mono_end = time.perf_counter() - started, time.monotonic()
        requests, refusals = state.counters.requests - before, state.counters.refusals_429 - refusals_before
    finally:
        await worker.aclose()
        await container.close()
    min_requests, min_seconds, reports = minimum(app, config)
    for account in ACCOUNTS:  # where an account's slot stood idle: before its first report, between reports
        made = sorted((r.created, r.ready_at) for r in state.reports.values() if r.account.client_id == account.client_id)
        gaps = [round(b[0] - a[1], 2) for a, b in zip(made, made[1:], strict=False)]
        print(f"  {account.client_id}: first report at {made[0][0] - state_start(state):.2f} s, idle between reports {gaps}")
    print(f"  before the first report {state_start(state) - mono_start:.2f} s, after the last one was ready "
          f"{mono_end - max(r.ready_at for r in state.reports.values()):.2f} s")
    rows = sum(r.rows for r in results)
    print(f"ads backfill, {PROFILE} seller, 3 ad accounts (2 organisations), 12 months, report delay {REPORT_S} s "
          f"+ {PER_CAMPAIGN_DAY_S * 1000:.1f} ms per campaign-day")
    print(f"  keys ok: {sum(r.ok for r in results)}/{len(results)}, statistics rows {rows:,}, reports {reports}")
    print(f"  requests   {requests:6d}  minimum {min_requests:6d}  ratio {requests / min_requests:.3f}")
    print(f"  seconds    {seconds:6.1f}  minimum {min_seconds:6.1f}  ratio {seconds / min_seconds:.3f}")
    print(f"  429 refusals {refusals}")
    print(json.dumps({"bench": "ads", "profile": PROFILE, "accounts": len(ACCOUNTS), "reports": reports,
                      "rows": rows, "requests": requests, "min_requests": min_requests,
                      "seconds": round(seconds, 2), "min_seconds": round(min_seconds, 2),
                      "requests_ratio": round(requests / min_requests, 3),
                      "seconds_ratio": round(seconds / min_seconds, 3), "refusals_429": refusals}))


if __name__ == "__main__":
    asyncio.run(main())
