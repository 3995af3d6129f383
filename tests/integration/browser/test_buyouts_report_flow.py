"""«Выкупы Озоном» (issue 11) as a seller meets it at 1440 × 900: opened from the menu, the period and the shop
switched, the totals equal the sandbox's ground truth, and the xlsx export holds the same lines and totals."""

from __future__ import annotations

import datetime as dt
import io

import msgspec
import openpyxl
import pytest
from playwright.sync_api import Page, expect

from stpulse.adapters.sandbox.ozon.world import SellerWorld
from stpulse.application.accounts.identity import Register, register_new
from stpulse.domain.kernel.formatting import format_amount
from stpulse.entrypoints.bootstrap import bootstrap
from tests.integration.browser.seller import start_trial
from tests.integration.money.loader import add_shop, load_buyouts, load_lines, load_products
from tests.services import run_sync

PASSWORD = "buyouts-password-2026"
FIRST, LAST = dt.date(2026, 6, 1), dt.date(2026, 8, 31)
SHOPS = ((21, "Первый магазин"), (22, "Второй магазин"))
pytestmark = pytest.mark.browser


def _seed(server, pg_url: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    shops: dict[str, str] = {}

    async def go() -> None:
        container = bootstrap(server.settings)  # its own engine: this runs in another event loop
        deps = container.deps
        user = await register_new(deps, Register(email="buy@example.ru", password=PASSWORD, password_confirm=PASSWORD,
                                             full_name="Продавец Выкупов", consent=True))
        async with deps.uow() as uow:
            await uow.users.update(msgspec.structs.replace(user, email_confirmed_at=deps.clock.now()))
            account_id = (await uow.memberships.for_user(user.id))[0].account_id
            await start_trial(uow, user.id, deps.clock.now())
            await uow.commit()
        for seed, name in SHOPS:
            world = SellerWorld(seed, "small")
            shop_id = await add_shop(pg_url, account_id, name, str(seed))
            await load_products(pg_url, shop_id, world)
            assert await load_buyouts(pg_url, shop_id, world, FIRST, LAST) > 0
            await load_lines(pg_url, shop_id, list(world.accrual_lines(FIRST, LAST)))
            shops[name] = str(shop_id)
        await container.close()

    run_sync(go())
    return shops


def _truth(seed: int, first: dt.date, last: dt.date) -> int:
    return SellerWorld(seed, "small").ground_truth(first, last).buyout_amount


def test_seller_reads_and_exports_buyouts(live_server, page: Page, pg_url: str):
    base = live_server.url
    shops = _seed(live_server, pg_url)
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(base + "/auth/login")
    page.fill("#f-email", "buy@example.ru")
    page.fill("#f-password", PASSWORD)
    page.click("button[type=submit]")
    page.click("#sidebar >> text=Выкупы Озоном")  # from the menu
    expect(page.locator("h1")).to_have_text("Выкупы Озоном")
    page.select_option("#from", "2026-06")  # the period: June–August
    page.select_option("#to", "2026-08")
    expect(page.locator("tr[data-row='month:677']")).to_be_visible()  # «Итого за июнь 2026» (month 677)
    both = _truth(21, FIRST, LAST) + _truth(22, FIRST, LAST)
    total = page.locator("tr[data-row=total] td[data-col=amount]")
    expect(total).to_have_text(format_amount(both))
    page.check(f"#shop-{shops['Второй магазин']}")  # one shop only
    expect(page.locator(f"#shop-{shops['Первый магазин']}")).not_to_be_checked()
    expect(total).to_have_text(format_amount(_truth(22, FIRST, LAST)))
    page.select_option("#from", "2026-08")  # August alone
    expect(page.locator("tr[data-row='month:677']")).to_have_count(0)
    expect(total).to_have_text(format_amount(_truth(22, dt.date(2026, 8, 1), LAST)))
    assert page.evaluate("document.documentElement.scrollWidth") <= 1440
    with page.expect_download() as download:
        page.click("#export-xlsx")
    assert download.value.suggested_filename == "buyouts_2026-08_2026-08.xlsx"
    sheet = openpyxl.load_workbook(io.BytesIO(open(download.value.path(), "rb").read())).active
    rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=2)]
    total_row = next(r for r in rows if r[0] == "Итого за период")
    assert round(total_row[3] * 100) == _truth(22, dt.date(2026, 8, 1), LAST)
    lines = [r for r in rows[:rows.index(total_row)] if not str(r[0]).startswith("Итого")]
    assert lines and all(str(r[0]).startswith(tuple(f"{d:02d}.08.2026" for d in range(1, 32))) for r in lines)
