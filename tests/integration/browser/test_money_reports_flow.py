"""A demo-like seller opens ОПиУ and Юнитка, switches shop and period, drills into a line and exports xlsx."""

from __future__ import annotations

import datetime as dt
import io

import msgspec
import openpyxl
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


def _seed(server, pg_url: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    shops: dict[str, str] = {}

    async def go() -> None:
        container = bootstrap(server.settings)  # its own engine: this runs in another event loop
        deps = container.deps
        user = await register_new(deps, Register(email="demo@example.ru", password=PASSWORD, password_confirm=PASSWORD,
                                             full_name="Демо Продавец", consent=True))
        async with deps.uow() as uow:
            await uow.users.update(msgspec.structs.replace(user, email_confirmed_at=deps.clock.now()))
            account_id = (await uow.memberships.for_user(user.id))[0].account_id
            await start_trial(uow, user.id, deps.clock.now())
            await uow.commit()
        for seed, name in ((21, "Первый магазин"), (22, "Второй магазин")):
            world = SellerWorld(seed, "small")
            shop_id = await add_shop(pg_url, account_id, name, str(seed))
            await load_products(pg_url, shop_id, world)
            await load_lines(pg_url, shop_id, list(world.accrual_lines(dt.date(2026, 6, 1), dt.date(2026, 8, 31))))
            shops[name] = str(shop_id)
        await container.close()

    run_sync(go())
    return shops


def test_seller_reads_pnl_and_unit_economics(live_server, page: Page, pg_url: str):
    base = live_server.url
    shops = _seed(live_server, pg_url)
    page.goto(base + "/auth/login")
    page.fill("#f-email", "demo@example.ru")
    page.fill("#f-password", PASSWORD)
    page.click("button[type=submit]")
    page.click("text=ОПиУ")
    expect(page.locator("h1")).to_have_text("ОПиУ")
    expect(page.locator("table.table-sticky tr[data-row=net_profit]")).to_be_visible()
    page.select_option("#from", "2026-06")  # the period: June–August
    page.select_option("#to", "2026-08")
    expect(page.locator("th[data-col='2026-08']")).to_be_visible()
    expect(page.locator("th[data-col='2026-05']")).to_have_count(0)
    all_total = page.locator("tr[data-row=revenue] td[data-col=total]").inner_text()
    page.check(f"#shop-{shops['Второй магазин']}")  # one shop only
    expect(page.locator(f"#shop-{shops['Первый магазин']}")).not_to_be_checked()
    expect(page.locator("tr[data-row=revenue] td[data-col=total]")).not_to_have_text(all_total)
    page.click("tr[data-row='ozon:logistics'] a.drill-link")  # drill into a line
    expect(page.locator("#drill-card")).to_contain_text("Логистика")
    expect(page.locator("#drill-card tbody tr").first).to_be_visible()
    with page.expect_download() as download:
        page.click("#export-xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(open(download.value.path(), "rb").read())).active
    assert sheet.freeze_panes == "B2" and sheet["A2"].value == "Выручка"
    page.click("text=Юнитка")  # the selection is remembered across pages
    expect(page.locator("h1")).to_have_text("Юнитка")
    expect(page.locator("#from")).to_have_value("2026-06")
    expect(page.locator(f"#shop-{shops['Второй магазин']}")).to_be_checked()
    expect(page.locator("tr[data-row=total]")).to_be_visible()
    with page.expect_download() as download:
        page.click("#export-xlsx")
    assert download.value.suggested_filename == "unit_2026-06_2026-08.xlsx"
