"""Себестоимость as a seller meets it (issue 18.8) at 1440 × 900: every product with its name, those without a
cost first, a search over them and pages; the template export lists exactly the offers still without a cost;
the «Итого» column and the chart's labels are not cut off."""

from __future__ import annotations

import io

import msgspec
import openpyxl
import pytest
from playwright.sync_api import Page, expect

from stpulse.adapters.sandbox.ozon.world import SellerWorld
from stpulse.application.accounts.identity import Register, register_new
from stpulse.application.costs.cost_book import CostForm, save_cost
from stpulse.entrypoints.bootstrap import bootstrap
from tests.integration.browser.seller import start_trial
from tests.integration.money.loader import add_shop, load_products
from tests.services import run_sync

PASSWORD = "demo-password-2026"
COSTED = 5
pytestmark = pytest.mark.browser


def _seed(server, pg_url: str) -> SellerWorld:  # type: ignore[no-untyped-def]
    world = SellerWorld(41, "medium")  # hundreds of products

    async def go() -> None:
        container = bootstrap(server.settings)
        deps = container.deps
        user = await register_new(deps, Register(email="costs@example.ru", password=PASSWORD,
                                                 password_confirm=PASSWORD, full_name="Продавец", consent=True))
        async with deps.uow() as uow:
            await uow.users.update(msgspec.structs.replace(user, email_confirmed_at=deps.clock.now()))
            membership = (await uow.memberships.for_user(user.id))[0]
            account = await uow.accounts.get(membership.account_id)
            await start_trial(uow, user.id, deps.clock.now())
            await uow.commit()
        shop_id = await add_shop(pg_url, account.id, "Магазин", "41")
        await load_products(pg_url, shop_id, world)
        from stpulse.application.accounts.actor import Actor

        actor = Actor(user=user, account=account, membership=membership)
        for i in range(COSTED):
            for day, price in (("01.01.2026", "1234567.89"), ("01.06.2026", "2345678.91")):
                await save_cost(deps, actor, CostForm(offer_id=world.catalog.offer_id(i), effective_from=day,
                                                      purchase=price, delivery="12345.67"))
        await container.close()

    run_sync(go())
    return world


def _inside(inner: dict, outer: dict) -> bool:
    return inner["x"] >= outer["x"] - 0.5 and inner["x"] + inner["width"] <= outer["x"] + outer["width"] + 0.5


def test_costs_page_names_search_pages_template_and_nothing_clipped(live_server, page: Page, pg_url: str,
                                                                    tmp_path):
    world = _seed(live_server, pg_url)
    n = world.catalog.n
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(live_server.url + "/auth/login")
    page.fill("#f-email", "costs@example.ru")
    page.fill("#f-password", PASSWORD)
    page.click("button[type=submit]")
    page.goto(live_server.url + "/app/costs")
    expect(page.locator("#cost-missing")).to_have_text(f"{n - COSTED:,}".replace(",", "\u00a0"))
    first = page.locator("#cost-table tbody tr").first  # those without a cost come first, with their names
    expect(first).to_contain_text("нет себестоимости")
    expect(first.locator("td.cost-name")).not_to_be_empty()
    assert page.locator("#cost-table tbody tr").count() == 50  # paged
    page.click("#cost-next")
    expect(page.locator("#cost-list")).to_contain_text("Страница 2 из")
    name = world.catalog.name(7)
    page.fill("#cost-q", name.split(",")[0].upper())  # any case, Cyrillic
    page.press("#cost-q", "Enter")
    expect(page.locator(f"#cost-table tr[data-offer='{world.catalog.offer_id(7)}']")).to_be_visible()
    page.fill("#cost-q", world.catalog.offer_id(2).lower())
    page.press("#cost-q", "Enter")
    expect(page.locator("#cost-table tbody tr")).to_have_count(1)
    total = page.locator("#cost-table tbody tr td").last  # «Итого» of a costed offer, not cut off
    expect(total).to_contain_text("2 358 024,58")
    box = page.locator("#cost-list .table-responsive").bounding_box()
    assert _inside(total.bounding_box(), box) and _inside(page.locator("#cost-table th").last.bounding_box(), box)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1440
    page.screenshot(path=str(tmp_path / "costs.png"), full_page=True)

    page.goto(live_server.url + f"/app/costs?offer={world.catalog.offer_id(2)}")
    svg = page.locator("#cost-history svg").bounding_box()
    for label in page.locator("#cost-history svg text").all():
        box = label.bounding_box()
        assert _inside(box, svg) and box["y"] >= svg["y"] - 0.5, label.inner_text()
    page.screenshot(path=str(tmp_path / "costs-history.png"), full_page=True)

    with page.expect_download() as download:
        page.click("text=Выгрузить в Excel (шаблон)")
    sheet = openpyxl.load_workbook(io.BytesIO(open(download.value.path(), "rb").read())).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    blank = {r[0] for r in rows if r[2] is None}
    assert blank == {world.catalog.offer_id(i) for i in range(COSTED, n)}  # exactly the offers to fill in
    assert all(r[1] for r in rows)  # with names
