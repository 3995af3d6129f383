"""Whole-suite guard: the suite needs PostgreSQL and Redis and fails at once (never skips) without them."""

from __future__ import annotations

import pytest


def pytest_sessionstart(session: pytest.Session) -> None:
    from tests.services import services_problem

    problem = services_problem()
    if problem:
        pytest.exit(f"{problem}. The test suite needs both services (see README).", returncode=3)


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    """Browser tests run last: Playwright's sync API keeps an event loop on the main thread while it runs,
    which async tests collected after it could not share."""
    items.sort(key=lambda item: "/browser/" in str(item.path))
