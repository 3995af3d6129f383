"""A live server (uvicorn in a thread, PostgreSQL behind it) and headless Debian Chromium driven by Playwright."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from playwright.sync_api import Browser, Page, sync_playwright

from stpulse.entrypoints.bootstrap import bootstrap
from stpulse.entrypoints.settings import Settings
from stpulse.entrypoints.web.app import create_app
from tests.integration.conftest import Mailbox
from tests.services import REDIS_URL, run_sync, truncate_all

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.app = create_app(settings, bootstrap(settings))
        self.server = uvicorn.Server(uvicorn.Config(self.app, host="127.0.0.1", port=settings.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.url = f"http://127.0.0.1:{settings.port}"
        self.mailbox = Mailbox(settings.mail_dir)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.url + "/auth/login", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError("live server did not start")

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture
def live_server(pg_url: str, tmp_path: Path) -> Iterator[LiveServer]:
    run_sync(truncate_all(pg_url))
    port = _free_port()
    settings = Settings(mode="production", database_url=pg_url, redis_url=REDIS_URL, data_dir=tmp_path, port=port,
                        base_url=f"http://127.0.0.1:{port}", embedded_worker=False,
                        cookie_secure=False)  # plain http on the loopback: the browser would not send Secure cookies
    with LiveServer(settings) as server:
        yield server


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One Chromium for the run (every test gets a fresh context, so no cookie or storage is shared); the browser
    tests run last (tests/conftest.py), so Playwright's loop on the main thread meets no async test after it."""
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian chromium is not installed at /usr/bin/chromium (run `make test`, it installs it)")
    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def _page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="ru-RU")
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    yield pg
    context.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    yield from _page(browser)


@pytest.fixture
def second_page(browser: Browser) -> Iterator[Page]:
    """A second, independent browser session (another person)."""
    yield from _page(browser)
