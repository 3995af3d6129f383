"""An own migrated PostgreSQL database per test module (the shared one is truncated by other tests)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.services import MigratedDatabases


@pytest.fixture(scope="module")
def sync_db(migrated_databases: MigratedDatabases) -> Iterator[str]:
    name, url = migrated_databases.create("stpulse_sync")
    yield url
    migrated_databases.drop(name)
