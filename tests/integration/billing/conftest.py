"""Billing against the YooKassa sandbox over real HTTP, driven by the real `yookassa` SDK inside the app.

The sandbox runs in its own uvicorn thread; its webhook bodies are taken from its delivery log and posted to
the app (over ASGI) as YooKassa would, so a test decides when, how often and in which order they arrive.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from litestar import Litestar

from stpulse.application.accounts.admin_users import make_admin
from stpulse.application.billing.deps import BillingUnitOfWork
from stpulse.entrypoints.bootstrap import bootstrap
from stpulse.entrypoints.deps import Deps
from stpulse.entrypoints.settings import Settings
from stpulse.entrypoints.web.app import create_app
from stpulse.entrypoints.web.billing.cabinet import WEBHOOK_PATH
from tests.integration.conftest import Mailbox
from tests.integration.web_helpers import PASSWORD, post_form, sign_in, sign_up
from tests.services import REDIS_URL, truncate_all
from tests.unit.yookassa_sandbox.server import SECRET, SHOP_ID, Server


@pytest.fixture(scope="module")
def yk() -> Iterator[Server]:
    server = Server().start()
    yield server
    server.stop()


@pytest.fixture
def bsettings(pg_url: str, tmp_path: Path, yk: Server) -> Settings:
    yk.state.reset()
    yk.state.webhook_url = None  # the test delivers webhooks itself
    return Settings(mode="production", database_url=pg_url, redis_url=REDIS_URL, data_dir=tmp_path,
                    base_url="http://testserver.local", embedded_worker=False, yookassa_api_url=yk.api_url,
                    yookassa_shop_id=SHOP_ID, yookassa_secret_key=SECRET, yookassa_webhook_ips="127.0.0.1/32")


@pytest.fixture
async def bapp(bsettings: Settings, pg_url: str) -> AsyncIterator[Litestar]:
    await truncate_all(pg_url)
    application = create_app(bsettings, bootstrap(bsettings))
    yield application
    await application.state.container.close()


def client_for(app: Litestar, ip: str = "127.0.0.1") -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app, client=(ip, 40000)),  # type: ignore[arg-type]
                             base_url="https://testserver.local")  # production: Secure cookies


@pytest.fixture
async def bclient(bapp: Litestar) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(bapp) as c:
        yield c


@pytest.fixture
def bmailbox(bsettings: Settings) -> Mailbox:
    return Mailbox(bsettings.mail_dir)


def deps_of(app: Litestar) -> Deps:
    return app.state.container.deps


class Billing:
    """A seller's and an admin's moves, in words a test can read."""

    def __init__(self, app: Litestar, client: httpx.AsyncClient, mailbox: Mailbox, yk: Server) -> None:
        self.app, self.client, self.mailbox, self.yk = app, client, mailbox, yk

    async def seller(self, email: str) -> uuid.UUID:
        self.client.cookies.clear()
        await sign_up(self.client, self.mailbox, email, trial=False)
        async with deps_of(self.app).uow() as uow:
            user = await uow.users.by_email(email)
        assert user is not None
        return user.id

    async def admin(self, email: str = "admin@stpulse.test") -> uuid.UUID:
        user = await make_admin(deps_of(self.app), email, PASSWORD)
        self.client.cookies.clear()
        await sign_in(self.client, email)
        return user.id

    async def checkout(self, tariff: str, months: int = 1, promo: str = "", action: str = "pay") -> httpx.Response:
        data = {"tariff_code": tariff, "months": str(months), "promo_code": promo, "action": action}
        return await post_form(self.client, "/app/billing/checkout", data, follow_redirects=False)

    async def pay(self, tariff: str, months: int = 1, promo: str = "") -> str:
        """Checkout and pay on the sandbox; returns YooKassa's payment id (webhooks not delivered yet)."""
        answer = await self.checkout(tariff, months, promo)
        assert answer.status_code == 303, answer.text
        payment_id = answer.headers["location"].rsplit("/", 1)[1]
        async with httpx.AsyncClient() as http:
            assert (await http.post(f"{self.yk.base}/yookassa/__control/payments/{payment_id}/succeed")).status_code == 200
        return payment_id

    def webhooks_for(self, payment_id: str) -> list[dict[str, Any]]:
        return [d.body for d in self.yk.state.webhooks if d.body["object"].get("id") == payment_id]

    async def deliver(self, body: dict[str, Any], ip: str = "127.0.0.1") -> httpx.Response:
        async with client_for(self.app, ip) as hook:
            return await hook.post(WEBHOOK_PATH, json=body)

    async def uow(self) -> BillingUnitOfWork:
        return deps_of(self.app).uow()


@pytest.fixture
def bill(bapp: Litestar, bclient: httpx.AsyncClient, bmailbox: Mailbox, yk: Server) -> Billing:
    return Billing(bapp, bclient, bmailbox, yk)
