"""Issue 18.11 (acceptance 3): every page of the cabinet and the admin area reads in Russian with grouped numbers —
no raw codes (`business`, `pending`, `ads_report`), no «December 2025», no «2025-12 — 2026-11», no «115068 строк»."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from stpulse.adapters.sandbox.ozon.world import SellerWorld
from stpulse.entrypoints.bootstrap import bootstrap
from tests.integration.browser.russian import problems
from tests.integration.browser.test_billing_flow import BillingServer, billing_server, login, register  # noqa: F401
from tests.integration.money.loader import add_shop, load_lines, load_products
from tests.services import run_sync

pytestmark = pytest.mark.browser
EMAIL = "irina@example.ru"
YEAR = "from=2025-09&to=2026-08"
CABINET = ["/app", f"/app/reports/pnl?{YEAR}", f"/app/reports/unit?{YEAR}", "/app/costs", "/app/expenses",
           "/app/shops", "/app/legal-entities", "/app/legal-entities/new", "/app/team", "/app/documents",
           "/app/profile", "/app/api-tokens", "/app/billing", "/app/search?q=магазин", "/pages/help"]
ADMIN = ["/admin/users", "/admin/tariffs", "/admin/promos", "/admin/pages", "/admin/ledger", "/admin/subscriptions",
         "/admin/payments", "/admin/monitoring"]


def _load_shop(server: BillingServer, pg_url: str) -> str:
    found: list[str] = []

    async def go() -> None:
        container = bootstrap(server.settings)
        async with container.deps.uow() as uow:
            user = await uow.users.by_email(EMAIL)
            account_id = (await uow.memberships.for_user(user.id))[0].account_id  # type: ignore[union-attr]
        await container.close()
        world = SellerWorld(41, "small")
        shop_id = await add_shop(pg_url, account_id, "Мой магазин", "41")
        await load_products(pg_url, shop_id, world)
        await load_lines(pg_url, shop_id, list(world.accrual_lines(dt.date(2026, 6, 1), dt.date(2026, 8, 31))))
        found.append(str(shop_id))

    run_sync(go())
    return found[0]


def _pay_business(page: Page) -> None:
    page.click("text=Тариф и оплата")
    page.click("#start-trial")
    page.select_option("#f-tariff_code", "business")
    page.click("#pay")
    expect(page).to_have_url(re.compile(r"/sandbox/yookassa/checkout/"))
    assert problems(page) == [], "the sandbox checkout page"
    page.click("#pay")
    page.click("text=К тарифам и платежам")


def _walk(page: Page, base: str, paths: list[str]) -> dict[str, list[str]]:
    found = {}
    for path in paths:
        page.goto(base + path)
        if problems(page):
            found[path] = problems(page)
    return found


def test_every_screen_reads_russian_with_grouped_numbers(billing_server: BillingServer, page: Page,  # noqa: F811
                                                         second_page: Page, pg_url: str):
    base = billing_server.url
    register(page, billing_server, EMAIL)
    _pay_business(page)
    shop_id = _load_shop(billing_server, pg_url)
    page.goto(base + "/app/documents")
    page.set_input_files("#f-file", files=[{"name": "отчёт.txt", "mimeType": "text/plain", "buffer": b"x" * 9728}])
    page.click("#documents-body button[type=submit]")
    expect(page.locator("#documents-body")).to_contain_text("9,5 КБ")
    page.goto(f"{base}/app/reports/pnl?{YEAR}")
    expect(page.locator("#from option:checked")).to_have_text("Сентябрь 2025")
    expect(page.locator("#report-body")).to_contain_text("сентябрь 2025 — август 2026")
    page.click("tr[data-row='ozon:logistics'] a.drill-link")
    expect(page.locator("#drill-card")).to_be_visible()
    found = {"drill": problems(page)} if problems(page) else {}
    found |= _walk(page, base, CABINET + [f"/app/shops/{shop_id}"])
    login(second_page, base, "admin@stpulse.test")
    second_page.goto(base + "/admin/users")
    second_page.click(f"text={EMAIL}")
    found |= {"admin user": problems(second_page)} if problems(second_page) else {}
    found |= _walk(second_page, base, ADMIN)
    assert found == {}, "\n".join(f"{k}: {v[:8]}" for k, v in found.items())
