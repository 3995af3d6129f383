"""An ИП on УСН 6 % links its shop in the cabinet and sees the tax in ОПиУ with the rule that made it (issue 11, 1)."""

from __future__ import annotations

import datetime as dt

import msgspec
import pytest
from playwright.sync_api import Page, expect

from stpulse.adapters.sandbox.ozon.world import SellerWorld
from stpulse.application.accounts.identity import Register, register_new
from stpulse.entrypoints.bootstrap import bootstrap
from tests.integration.browser.seller import start_trial
from tests.integration.money.loader import add_shop, load_lines, load_products
from tests.services import run_sync

PASSWORD = "demo-password-2026"
pytestmark = pytest.mark.browser


def _seed(server, pg_url: str) -> str:  # type: ignore[no-untyped-def]
    out: list[str] = []

    async def go() -> None:
        container = bootstrap(server.settings)
        deps = container.deps
        user = await register_new(deps, Register(email="ip@example.ru", password=PASSWORD, password_confirm=PASSWORD,
                                             full_name="ИП Налогова", consent=True))
        async with deps.uow() as uow:
            await uow.users.update(msgspec.structs.replace(user, email_confirmed_at=deps.clock.now()))
            account_id = (await uow.memberships.for_user(user.id))[0].account_id
            await start_trial(uow, user.id, deps.clock.now())
            await uow.commit()
        world = SellerWorld(31, "small")
        shop_id = await add_shop(pg_url, account_id, "Мой магазин", "31")
        await load_products(pg_url, shop_id, world)
        await load_lines(pg_url, shop_id, list(world.accrual_lines(dt.date(2026, 6, 1), dt.date(2026, 7, 31))))
        out.append(str(shop_id))
        await container.close()

    run_sync(go())
    return out[0]


def test_linking_a_shop_to_an_ip_on_usn_6_percent_puts_the_tax_into_pnl(live_server, page: Page, pg_url: str):
    base = live_server.url
    shop_id = _seed(live_server, pg_url)
    page.goto(base + "/auth/login")
    page.fill("#f-email", "ip@example.ru")
    page.fill("#f-password", PASSWORD)
    page.click("button[type=submit]")
    page.goto(base + "/app/reports/pnl?from=2026-06&to=2026-07")
    cta = page.locator("[data-no-entity]")  # no silent zero: the report asks to link the shop
    expect(cta).to_contain_text("не привязан к юрлицу")
    expect(page.locator("tr[data-row=tax] td[data-col=total]")).to_have_text("0,00")
    cta.locator("a").first.click()
    expect(page).to_have_url(f"{base}/app/shops/{shop_id}")
    page.click("text=Добавить юрлицо")
    page.fill("#f-name", "ИП Налогова Н. Н.")
    page.fill("#f-inn", "500100732259")
    page.select_option("#f-tax_regime", "usn_income")
    page.fill("#f-tax_rate_percent", "6")
    page.click("main button[type=submit]")
    page.goto(f"{base}/app/shops/{shop_id}")
    page.select_option("#f-legal_entity_id", label="ИП Налогова Н. Н.")
    page.click("#link-entity button[type=submit]")
    expect(page.locator("[data-linked-entity]")).to_contain_text("ИП Налогова Н. Н.")
    page.click("text=Юрлица")
    page.click("text=ИП Налогова Н. Н.")
    expect(page.locator("[data-linked-shops]")).to_contain_text("Мой магазин")
    page.goto(base + "/app/reports/pnl?from=2026-06&to=2026-07")
    expect(page.locator("[data-no-entity]")).to_have_count(0)
    tax = page.locator("tr[data-row=tax]")
    expect(tax).to_contain_text("УСН «доходы»: 6\u00a0% от продаж за вычетом возвратов")
    assert tax.locator("td[data-col=total]").inner_text().startswith("−")
    page.click("text=Юнитка")
    expect(page.locator("tr[data-row=total]")).to_be_visible()
    expect(page.locator("[data-no-entity]")).to_have_count(0)
