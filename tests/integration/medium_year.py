"""The medium sandbox seller's 12 months, synced once per test run.

Three suites need a medium year in PostgreSQL (ozon_sync/test_sync_medium_year.py, ozon_sync/test_recon_medium_year.py,
ads/test_ads_year.py); a year's Seller sync takes minutes, so it runs once, into a database nobody else connects to,
and every suite gets its own copy of it (CREATE DATABASE … TEMPLATE): what one suite writes afterwards (ad keys, a
resync) never reaches another. The sync is the ads suite's: seed 42, profile medium, the sandbox's today (NOW) on the
clock, every source, and a sandbox that also serves the Performance API of the seller's three ad accounts.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stpulse.application.accounts.actor import Actor
from stpulse.application.ozon.sync import sync_shop
from stpulse.application.ozon.sync_ports import SyncKind, SyncRun, SyncStatus
from stpulse.entrypoints.bootstrap import bootstrap
from stpulse.entrypoints.deps import Deps
from stpulse.entrypoints.settings import Settings
from tests.fakes import FixedClock, PlainHasher, RecordingQueue
from tests.integration.ads.conftest import NOW, SELLER, SELLER_KEY, ads_sandbox
from tests.integration.ozon_sync import helpers as h
from tests.services import MigratedDatabases, create_database

EMAIL = "medium-year@example.com"


@dataclass
class MediumYear:
    databases: MigratedDatabases
    template: str  # the synced database: copied, never connected to
    app: Any  # the sandbox (Seller API and the Performance API of ads/conftest.py's ACCOUNTS)
    shop: uuid.UUID
    run: SyncRun
    elapsed: float  # seconds the year's sync took
    progress: list[tuple[int, str]] = field(default_factory=list)  # every (percent, step) the sync reported
    client_id: str = SELLER

    def copy(self, prefix: str) -> tuple[str, str]:
        """A database of one's own holding the synced year: (its name, its SQLAlchemy URL)."""
        return create_database(prefix, template=self.template)

    def drop(self, name: str) -> None:
        self.databases.drop(name)

    @property
    def world(self) -> Any:
        return h.world_of(self.app, self.client_id)

    async def actor(self, deps: Deps) -> Actor:
        """The seller who connected the shop, read from a copy's database."""
        async with deps.uow() as uow:
            user = await uow.users.by_email(EMAIL)
            assert user is not None
            membership = (await uow.memberships.for_user(user.id))[0]
            account = await uow.accounts.get(membership.account_id)
        assert account is not None
        return Actor(user=user, account=account, membership=membership)


async def synced_medium_year(databases: MigratedDatabases, tmp_path: Path) -> AsyncIterator[MediumYear]:
    name, url = databases.create("stpulse_year")
    app = ads_sandbox(profile="medium")
    settings = Settings(mode="production", database_url=url, data_dir=tmp_path, log_json=True)
    container = bootstrap(settings, ozon=h.ozon_factory(app), jobs=RecordingQueue(), hasher=PlainHasher(),
                          clock=FixedClock(NOW))
    try:
        actor = await h.new_actor(container.deps, EMAIL)
        shop_id = await h.connect(container.deps, actor, SELLER, SELLER_KEY)
        progress: list[tuple[int, str]] = []
        started = time.perf_counter()
        run = await sync_shop(container.deps, shop_id, SyncKind.CLI, date_from=h.YEAR_FROM, date_to=h.YEAR_TO,
                              progress=lambda percent, step: progress.append((percent, step)))
        elapsed = time.perf_counter() - started
        assert run is not None and run.status == SyncStatus.DONE, run
    finally:
        await container.close()  # no connection left: the database is a template from now on
    try:
        yield MediumYear(databases=databases, template=name, app=app, shop=shop_id, run=run, elapsed=elapsed,
                         progress=progress)
    finally:
        databases.drop(name)
