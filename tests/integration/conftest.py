"""Integration fixtures: migrated PostgreSQL databases (copies of one template), Redis, the real app over HTTP."""

from __future__ import annotations

import email
import re
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from litestar import Litestar

from stpulse.adapters.db.uow import Database
from stpulse.entrypoints.bootstrap import bootstrap
from stpulse.entrypoints.settings import Settings
from stpulse.entrypoints.web.app import create_app
from tests.fakes_uow import memory_uow_factory
from tests.integration.medium_year import MediumYear, synced_medium_year
from tests.services import REDIS_URL, MigratedDatabases, require_services, truncate_all


@pytest.fixture(scope="session")
def migrated_databases() -> Iterator[MigratedDatabases]:
    """`.create(prefix)`: a fresh PostgreSQL database at the migrations' head (a copy of one migrated template)."""
    require_services()
    databases = MigratedDatabases()
    yield databases
    databases.close()


@pytest.fixture(scope="session")
def pg_url(migrated_databases: MigratedDatabases) -> Iterator[str]:
    name, url = migrated_databases.create()
    yield url
    migrated_databases.drop(name)


@pytest.fixture(params=["memory", "postgres"])
async def uow_factory(request, pg_url):  # type: ignore[no-untyped-def]
    """The repository contract suites run every case on the in-memory fakes and on PostgreSQL."""
    if request.param == "memory":
        yield memory_uow_factory()
        return
    await truncate_all(pg_url)
    db = Database(pg_url)
    yield db.uow
    await db.dispose()


@pytest.fixture
def settings(pg_url: str, tmp_path: Path) -> Settings:
    return Settings(mode="production", database_url=pg_url, redis_url=REDIS_URL, data_dir=tmp_path,
                    base_url="http://testserver.local", embedded_worker=False, log_json=True)


@pytest.fixture
async def app(settings: Settings, pg_url: str) -> AsyncIterator[Litestar]:
    await truncate_all(pg_url)
    application = create_app(settings, bootstrap(settings))
    yield application
    await application.state.container.close()


def http_client(app: Litestar) -> httpx.AsyncClient:
    """The app in the test's own event loop (one engine, one loop), with a cookie jar like a browser's."""
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://testserver.local")  # production: Secure cookies


@pytest.fixture
async def client(app: Litestar) -> AsyncIterator[httpx.AsyncClient]:
    async with http_client(app) as c:
        yield c


class Mailbox:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def messages(self) -> list[email.message.Message]:
        files = sorted(self.folder.glob("*.eml")) if self.folder.exists() else []
        return [email.message_from_bytes(f.read_bytes()) for f in files]

    def last_link(self, to: str) -> str:
        for msg in reversed(self.messages()):
            if msg["To"] == to:
                body = msg.get_payload(decode=True).decode()
                return re.search(r"http\S+", body).group(0)  # type: ignore[union-attr]
        raise AssertionError(f"no mail to {to}")


@pytest.fixture
def mailbox(settings: Settings) -> Mailbox:
    return Mailbox(settings.mail_dir)


@pytest.fixture(scope="session")
async def medium_year(migrated_databases: MigratedDatabases,
                      tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[MediumYear]:
    """The medium sandbox seller's 12 months, synced once per run; `.copy(prefix)` gives a suite its own database."""
    async for year in synced_medium_year(migrated_databases, tmp_path_factory.mktemp("medium-year")):
        yield year
