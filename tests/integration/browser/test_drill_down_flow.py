"""A seller opens «Логистика» of ОПиУ (issue 18.4): subtotals by Ozon's named accrual type and by product first,
the lines on demand with names, filters by SKU (a bad one answered next to its field), and every line to xlsx —
all within a 1440 × 900 window."""

from __future__ import annotations

import datetime as dt
import io
import re

import msgspec
import openpyxl
import pytest
from playwright.sync_api import Page, expect

from stpulse.adapters.sandbox.ozon.reference import real_accrual_types
from stpulse.adapters.sandbox.ozon.world import SellerWorld
from stpulse.application.accounts.identity import Register, register_new
from stpulse.entrypoints.bootstrap import bootstrap
from tests.integration.browser.seller import start_trial
from tests.integration.money.loader import add_shop, load_lines, load_products, load_type_names
from tests.services import run_sync

PASSWORD = "demo-password-2026"
NAMES = {t["id"]: t["description"] or t["name"] for t in real_accrual_types()}
pytestmark = pytest.mark.browser


def _seed(server, pg_url: str) -> SellerWorld:  # type: ignore[no-untyped-def]
    world = SellerWorld(31, "small")

    async def go() -> None:
        container = bootstrap(server.settings)  # its own engine: this runs in another event loop
        deps = container.deps
        user = await register_new(deps, Register(email="drill@example.ru", password=PASSWORD,
                                                 password_confirm=PASSWORD, full_name="Продавец", consent=True))
        async with deps.uow() as uow:
            await uow.users.update(msgspec.structs.replace(user, email_confirmed_at=deps.clock.now()))
            account_id = (await uow.memberships.for_user(user.id))[0].account_id
            await start_trial(uow, user.id, deps.clock.now())
            await uow.commit()
        shop_id = await add_shop(pg_url, account_id, "Магазин", "31")
        await load_products(pg_url, shop_id, world)
        await load_lines(pg_url, shop_id, list(world.accrual_lines(dt.date(2026, 6, 1), dt.date(2026, 8, 31))))
        await load_type_names(pg_url)
        await container.close()

    run_sync(go())
    return world


def _width_fits(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 1440


def test_logistics_drill_down_groups_names_filters_and_exports(live_server, page: Page, pg_url: str, tmp_path):
    world = _seed(live_server, pg_url)
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(live_server.url + "/auth/login")
    page.fill("#f-email", "drill@example.ru")
    page.fill("#f-password", PASSWORD)
    page.click("button[type=submit]")
    page.goto(live_server.url + "/app/reports/pnl?from=2026-06&to=2026-08")
    page.click("tr[data-row='ozon:logistics'] a.drill-link")
    types = page.locator("#drill-types tbody tr td:first-child")
    expect(types.first).to_be_visible()
    for label in types.all_inner_texts():  # Ozon's names, not raw ids
        type_id = int(re.search(r"\((\d+)\)$", label.strip()).group(1))
        assert label.startswith(NAMES[type_id]), label
    first_product = page.locator("#drill-skus tbody tr").first
    sku = int(first_product.get_attribute("data-key"))
    i = int(world.catalog.index_of_sku([sku])[0])
    expect(first_product).to_contain_text(f"{world.catalog.offer_id(i)} — {world.catalog.name(i)}")
    expect(page.locator("#drill-lines")).to_have_count(0)  # subtotals first
    _width_fits(page)
    page.screenshot(path=str(tmp_path / "drill-groups.png"), full_page=True)

    page.fill("#d-sku", "12ab")  # a bad filter is answered next to its field
    page.click("#drill-filter button[type=submit]")
    expect(page.locator("[data-error=sku]")).to_contain_text("число")
    page.fill("#d-sku", str(sku))
    page.click("#drill-filter button[type=submit]")
    expect(page.locator("#drill-skus tbody tr")).to_have_count(1)
    count = int(re.sub(r"\D", "", page.locator("#drill-count").inner_text().split("строк")[0]))
    page.click("#drill-all-lines")  # the lines on demand, with names
    lines = page.locator("#drill-lines tbody tr")
    expect(lines.first).to_be_visible()
    assert lines.count() == min(count, 50)
    expect(lines.first).to_contain_text(world.catalog.offer_id(i))
    assert re.search(r"\(\d+\)$", lines.first.locator("td").nth(4).inner_text().strip())
    assert not re.fullmatch(r"\d+", lines.first.locator("td").nth(4).inner_text().strip())
    _width_fits(page)
    page.screenshot(path=str(tmp_path / "drill-lines.png"), full_page=True)

    with page.expect_download() as download:
        page.click("#drill-export")
    sheet = openpyxl.load_workbook(io.BytesIO(open(download.value.path(), "rb").read()), read_only=True).active
    rows = [r for r in sheet.iter_rows(min_row=3, values_only=True) if r[0] is not None]
    assert len(rows) == count and {r[4] for r in rows} == {sku}
    assert all(r[5].startswith(world.catalog.offer_id(i)) for r in rows)
