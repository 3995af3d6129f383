"""Fixtures: the sandbox served over real HTTP, and the real SDK configured against it."""

import pytest
from yookassa import Configuration

from tests.unit.yookassa_sandbox.server import SECRET, SHOP_ID, Server


@pytest.fixture(scope="module")
def sandbox():
    server = Server().start()
    yield server
    server.stop()


@pytest.fixture
def sdk(sandbox):
    """The real SDK pointed at the sandbox; a fresh state and webhook inbox per test."""
    sandbox.state.reset()
    sandbox.state.webhook_url = f"{sandbox.base}/hook"
    sandbox.received.clear()
    Configuration.configure(SHOP_ID, SECRET, api_url=sandbox.api_url)
    return sandbox
