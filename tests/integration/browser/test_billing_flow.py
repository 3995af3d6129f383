"""Acceptance 6: trial → choose a tariff → apply a promo code → pay on the sandbox's confirmation page →
subscription active; then the admin sees the payment on that user's page.

The YooKassa sandbox is mounted into the live app under /sandbox (as in embedded mode), the app's real
gateway talks to it over HTTP with the `yookassa` SDK, and the sandbox sends its webhook back to the app."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Page, expect

from stpulse.application.accounts.admin_users import make_admin
from stpulse.entrypoints.bootstrap import bootstrap
from stpulse.entrypoints.settings import Settings
from stpulse.entrypoints.web.app import create_app
from stpulse.entrypoints.web.sandbox_mount import yookassa_sandbox_router, yookassa_sandbox_state
from tests.integration.browser.conftest import LiveServer, _free_port
from tests.integration.conftest import Mailbox
from tests.services import REDIS_URL, run_sync, truncate_all

PASSWORD = "correct-horse-1"
pytestmark = pytest.mark.browser


class BillingServer(LiveServer):
    def __init__(self, settings: Settings) -> None:  # noqa: D107 - LiveServer's, plus the mounted sandbox
        self.settings, self.url = settings, f"http://127.0.0.1:{settings.port}"
        self.mailbox = Mailbox(settings.mail_dir)
        self.yookassa = yookassa_sandbox_state(settings)
        self.app = create_app(settings, bootstrap(settings),
                              extra_route_handlers=[yookassa_sandbox_router(self.yookassa)])
        self.server = uvicorn.Server(uvicorn.Config(self.app, host="127.0.0.1", port=settings.port,
                                                    log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)


@pytest.fixture
def billing_server(pg_url: str, tmp_path: Path) -> Iterator[BillingServer]:
    run_sync(truncate_all(pg_url))
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    settings = Settings(mode="production", database_url=pg_url, redis_url=REDIS_URL, data_dir=tmp_path, port=port,
                        base_url=base, embedded_worker=False, yookassa_api_url=base + "/sandbox/yookassa/v3",
                        yookassa_webhook_ips="127.0.0.1/32", cookie_secure=False)  # plain http on the loopback

    async def admin() -> None:
        container = bootstrap(settings)
        await make_admin(container.deps, "admin@stpulse.test", PASSWORD)
        await container.close()

    run_sync(admin())
    server = BillingServer(settings)
    with server:
        yield server


def login(page: Page, base: str, email: str) -> None:
    page.goto(base + "/auth/login")
    page.fill("#f-email", email)
    page.fill("#f-password", PASSWORD)
    page.click("button[type=submit]")


def register(page: Page, server: BillingServer, email: str) -> None:
    page.goto(server.url + "/auth/register")
    page.fill("#f-full_name", "Ирина Продавцова")
    page.fill("#f-email", email)
    page.fill("#f-password", PASSWORD)
    page.fill("#f-password_confirm", PASSWORD)
    page.check("#f-consent")
    page.click("button[type=submit]")
    page.goto(server.mailbox.last_link(email))
    login(page, server.url, email)


def test_trial_promo_pay_on_sandbox_then_admin_sees_the_payment(billing_server: BillingServer, page: Page,
                                                                 second_page: Page):
    base, admin = billing_server.url, second_page
    login(admin, base, "admin@stpulse.test")
    admin.goto(base + "/admin/promos")
    admin.fill("#f-code", "welcome10")
    admin.select_option("#f-kind", "percent")
    admin.fill("#f-value", "10")
    admin.click("main button[type=submit]")
    expect(admin.locator("[data-promo=WELCOME10]")).to_be_visible()

    register(page, billing_server, "irina@example.ru")
    page.click("text=Тариф и оплата")
    page.click("#start-trial")
    expect(page.locator("#current-subscription [data-status]")).to_have_attribute("data-status", "trial")

    page.select_option("#f-tariff_code", "business")
    page.select_option("#f-months", "3")
    page.fill("#f-promo_code", "welcome10")
    page.click("#apply-promo")
    expect(page.locator("#quote [data-price]")).to_have_attribute("data-price", "638685")  # 7 096,50 − 10 %
    page.click("#pay")

    expect(page).to_have_url(re.compile(r"/sandbox/yookassa/checkout/[0-9a-f-]{36}$"))
    expect(page.locator("#amount")).to_contain_text("6386,85")
    payment_id = page.url.rsplit("/", 1)[1]
    page.click("#pay")
    expect(page.locator("[data-payment-state]")).to_have_attribute("data-payment-state", "succeeded")
    page.click("text=К тарифам и платежам")
    expect(page.locator("#current-subscription [data-status]")).to_have_attribute("data-status", "active")
    expect(page.locator("#current-subscription [data-tariff]")).to_have_attribute("data-tariff", "business")
    expect(page.locator("#payments [data-state=succeeded]")).to_contain_text("WELCOME10")
    assert any(d.status_code == 200 for d in billing_server.yookassa.webhooks)  # the sandbox's webhook got in

    admin.goto(base + "/admin/users")
    admin.click("text=irina@example.ru")
    row = admin.locator(f"[data-payment='{payment_id}']")
    expect(row).to_have_attribute("data-state", "succeeded")
    expect(row).to_contain_text("6\u00a0386,85")
    expect(admin.locator("#admin-subscription [data-status]")).to_have_attribute("data-status", "active")
