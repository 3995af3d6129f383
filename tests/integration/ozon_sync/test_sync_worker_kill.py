"""Acceptance 3: a real `stpulse worker` on Redis, killed with SIGKILL in the middle of a backfill and started
again, finishes with the sandbox's totals; a second and a third full sync change no row and no total.
Issue 19: the new worker takes the dead run over from its checkpoint within a minute of starting (the default
`sync_stale_seconds`, no hourly tick needed)."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
import redis

from stpulse.adapters.ozon import OzonHttpSettings, OzonSellerClientFactory
from stpulse.adapters.sandbox.ozon import SellerWorld
from stpulse.application.ozon.sync import sync_shop
from stpulse.application.ozon.sync_ports import SyncKind, SyncStatus
from tests.integration.ozon_sync import helpers as h
from tests.services import REDIS_URL

CLIENT, KEY, SEED = "610001", "kill-test-key-610001", 7
BIN = Path(sys.executable).parent / "stpulse"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _spawn_worker(env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen([str(BIN), "worker", "--threads", "2"], env=env)


def _env(pg_url: str, sandbox_url: str, data_dir: Path) -> dict[str, str]:
    return {**os.environ, "STPULSE_MODE": "embedded", "STPULSE_DATABASE_URL": pg_url, "STPULSE_REDIS_URL": REDIS_URL,
            "STPULSE_OZON_SELLER_URL": sandbox_url, "STPULSE_OZON_REQUESTS_PER_SECOND": "100000",
            "STPULSE_BACKUP_INTERVAL_SECONDS": "0", "STPULSE_DATA_DIR": str(data_dir), "STPULSE_LOG_LEVEL": "WARNING"}


@pytest.fixture(scope="module")
def sandbox_url():  # type: ignore[no-untyped-def]
    port = _free_port()
    proc = subprocess.Popen([str(BIN), "sandbox", "--port", str(port), "--seed", str(SEED), "--profile", "small",
                             "--client-id", CLIENT, "--api-key", KEY], stdout=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            httpx.get(url + "/__sandbox/status", timeout=1).raise_for_status()
            break
        except httpx.HTTPError:
            time.sleep(0.1)
    yield url
    proc.kill()
    proc.wait()


async def _latest(pg_url: str, shop_id):  # type: ignore[no-untyped-def]
    rows = await h.fetch(pg_url, "SELECT id, status, percent, done_through, date_from, date_to FROM sync_runs "
                                 "WHERE shop_id = $1 ORDER BY created_at DESC LIMIT 1", shop_id)
    return rows[0] if rows else None


async def _wait(pg_url: str, shop_id, ready, seconds: float = 120):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        run = await _latest(pg_url, shop_id)
        if run is not None and ready(run):
            return run
        await asyncio.sleep(0.1)
    raise AssertionError(f"sync did not reach the state in time: {run}")


async def test_sigkill_mid_backfill_then_restart_finishes_and_resync_changes_nothing(sync_db, sandbox_url, tmp_path):
    factory = OzonSellerClientFactory(OzonHttpSettings(base_url=sandbox_url, requests_per_second=1e5, burst=100))
    container = h.container_for(sync_db, tmp_path, factory)
    actor = await h.new_actor(container.deps, "kill@example.com")
    shop_id = await h.connect(container.deps, actor, CLIENT, KEY)
    env = _env(sync_db, sandbox_url, tmp_path)
    schedule = redis.Redis.from_url(REDIS_URL)
    for key in schedule.scan_iter("stpulse:schedule:*"):  # a fresh hour: this worker's start-up tick syncs the shop
        schedule.delete(key)
    worker = _spawn_worker(env)
    try:
        await _wait(sync_db, shop_id, lambda r: r["done_through"] is not None and 10 <= r["percent"] <= 45)
        worker.send_signal(signal.SIGKILL)
        worker.wait()
        killed = await _latest(sync_db, shop_id)
        assert killed["status"] == "running" and killed["percent"] < 60  # still in the accrual days
        worker = _spawn_worker(env)  # at once: the dead run still looks alive for sync_stale_seconds (30 s)
        started = time.monotonic()
        resumed = await _wait(sync_db, shop_id, lambda r: r["percent"] > killed["percent"] or r["status"] != "running")
        assert time.monotonic() - started < 60 and resumed["id"] == killed["id"]  # taken over, not restarted
        assert resumed["done_through"] >= killed["done_through"]
        run = await _wait(sync_db, shop_id, lambda r: r["status"] != "running", 180)
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(30)
    assert run["status"] == "done"
    first, last = run["date_from"], run["date_to"]
    world = SellerWorld(SEED, "small", last + dt.timedelta(days=0))
    await _assert_truth(sync_db, shop_id, world, first, last)
    before = await h.snapshot(sync_db, shop_id)
    for _ in range(2):
        again = await sync_shop(container.deps, shop_id, SyncKind.CLI, date_from=first, date_to=last)
        assert again is not None and again.status == SyncStatus.DONE, again
        assert await h.snapshot(sync_db, shop_id) == before
    await container.close()


async def _assert_truth(pg_url: str, shop_id, world, first: dt.date, last: dt.date) -> None:  # type: ignore[no-untyped-def]
    truth = h.truth_by_month(world, first, last)
    rows = await h.fetch(pg_url, "SELECT date_trunc('month', date)::date AS m, sum(amount) AS s, count(*) AS n "
                                 "FROM accrual_lines WHERE shop_id = $1 GROUP BY 1", shop_id)
    assert {r["m"]: (int(r["s"]), r["n"]) for r in rows} == {m: (gt.total, gt.n_lines) for m, gt in truth.items()}
    monthly = await h.fetch(pg_url, "SELECT month, sum(amount) AS s FROM sku_monthly_rollups WHERE shop_id = $1 "
                                    "GROUP BY month", shop_id)
    assert {r["month"]: int(r["s"]) for r in monthly} == {m: gt.total + gt.buyout_amount for m, gt in truth.items()}
