"""Issue 18.15: the connect page of the embedded mode lists the sandbox's test Client-Ids and which are taken."""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from litestar import Litestar

from stpulse.domain.billing import TrialRecord
from stpulse.domain.ledger.shops import Shop
from stpulse.entrypoints.bootstrap import bootstrap
from stpulse.entrypoints.ozon_wiring import uses_embedded_sandbox
from stpulse.entrypoints.settings import Settings
from stpulse.entrypoints.web.app import create_app
from tests.integration.conftest import Mailbox
from tests.integration.web_helpers import sign_up
from tests.services import truncate_all


@pytest.fixture
async def embedded_app(pg_url: str, tmp_path: Path) -> AsyncIterator[Litestar]:
    await truncate_all(pg_url)
    settings = Settings(database_url=pg_url, data_dir=tmp_path, base_url="http://testserver.local",
                        embedded_worker=False)
    assert uses_embedded_sandbox(settings)
    application = create_app(settings, bootstrap(settings))
    yield application
    await application.state.container.close()


def states(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-client-id="(\d+)" data-use="(\w+)"', html))


async def test_connect_page_shows_which_sandbox_client_ids_are_free(embedded_app: Litestar, tmp_path: Path):
    deps = embedded_app.state.container.deps
    mailbox = Mailbox(tmp_path / "mail")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=embedded_app),
                                 base_url="http://testserver.local") as client:
        await sign_up(client, mailbox, "demo-like@example.ru", trial=False)
        async with deps.uow() as uow:
            demo = await uow.users.by_email("demo-like@example.ru")
            [membership] = await uow.memberships.for_user(demo.id)
            await uow.trials.add(TrialRecord(user_id=demo.id, client_ids=frozenset({"100001"}),
                                             started_at=deps.clock.now()))
            await uow.shops.add(Shop(id=uuid.uuid4(), account_id=membership.account_id, name="Демо",
                                     client_id="100002"), b"key")
            await uow.commit()
        assert states((await client.get("/app/shops/new")).text) == {
            "100001": "mine", "100002": "mine", "100003": "free"}

        client.cookies.clear()
        await sign_up(client, mailbox, "newcomer@example.ru")
        page = (await client.get("/app/shops/new")).text
        assert states(page) == {"100001": "trial", "100002": "shop", "100003": "free"}
        assert "пробный период уже использован" in page and "свободен" in page
