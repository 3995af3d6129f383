"""An own migrated PostgreSQL database per module, and the Seller + Performance sandbox of one medium seller with
three ad accounts: two in one organisation, one in another."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import httpx
import pytest

from stpulse.adapters.ozon.performance import PerformanceApiFactory, PerformanceSettings
from stpulse.adapters.sandbox.ozon import SandboxConfig, ShopConfig, create_sandbox_app
from stpulse.adapters.sandbox.ozon.performance.config import AdAccountConfig, PerformanceConfig, ad_client_id
from stpulse.entrypoints.ozon_wiring import ORIGIN_CACHE
from tests.services import MigratedDatabases

SELLER, SELLER_KEY = "880201", "ads-key-880201"
ACCOUNTS = (
    AdAccountConfig(client_id=ad_client_id(201_001), client_secret="secret-1", seller=SELLER, organisation="ООО «Альфа»"),
    AdAccountConfig(client_id=ad_client_id(201_002), client_secret="secret-2", seller=SELLER, organisation="ООО «Альфа»"),
    AdAccountConfig(client_id=ad_client_id(201_003), client_secret="secret-3", seller=SELLER, organisation="ИП Бета"),
)
NOW = dt.datetime(2026, 9, 30, 12, 0, tzinfo=dt.UTC)  # the sandbox's today, Moscow afternoon


@pytest.fixture(scope="module")
def ads_db(migrated_databases: MigratedDatabases) -> Iterator[str]:
    name, url = migrated_databases.create("stpulse_ads")
    yield url
    migrated_databases.drop(name)


def ads_sandbox(report_seconds: float = 0.03, profile: str = "medium", accounts=ACCOUNTS):  # type: ignore[no-untyped-def]
    config = SandboxConfig(shops=[ShopConfig(client_id=SELLER, api_key=SELLER_KEY, seed=42, profile=profile)],
                           origin_cache_size=ORIGIN_CACHE,
                           performance=PerformanceConfig(accounts=list(accounts), report_base_seconds=report_seconds))
    return create_sandbox_app(config)


def performance_factory(app, slots=None, **settings) -> PerformanceApiFactory:  # type: ignore[no-untyped-def]
    options = {"requests_per_second": 1e6, "first_poll": 0.02, "backoff": 0.01} | settings
    return PerformanceApiFactory(PerformanceSettings(base_url="http://sandbox.test", **options),
                                 transport=httpx.ASGITransport(app=app), slots=slots)
