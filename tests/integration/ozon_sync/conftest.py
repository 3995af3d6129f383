"""An own migrated PostgreSQL database per test module (the shared one is truncated by other tests)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from stpulse.adapters.db.migrate import upgrade
from tests.services import create_database, drop_database, require_services


@pytest.fixture(scope="module")
def sync_db() -> Iterator[str]:
    require_services()
    name, url = create_database("stpulse_sync")
    upgrade(url)
    yield url
    drop_database(name)
