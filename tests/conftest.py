"""Whole-suite guard: integration tests need PostgreSQL and Redis, and a run that collects any of them fails at once
without them (never skips). Unit tests alone (`make unit`) need neither."""

from __future__ import annotations

from pathlib import Path

import pytest

INTEGRATION = Path(__file__).parent / "integration"


def needs_services(items: list[pytest.Item]) -> bool:
    return any(INTEGRATION in Path(str(item.path)).parents for item in items)


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    """Browser tests run last: Playwright's sync API keeps an event loop on the main thread while it runs,
    which async tests collected after it could not share."""
    if needs_services(items):
        from tests.services import services_problem

        problem = services_problem()
        if problem:
            pytest.exit(f"{problem}. The integration tests need both services (see README).", returncode=3)
    items.sort(key=lambda item: "/browser/" in str(item.path))
