"""Issue 11, defect 3 in the browser: the admin maps a queued accrual type; the page shows the recalculation of
the past months with its progress (polling by itself), the type stays queued until it is done, then leaves.
A seller's report says how old its Ozon data is."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from stpulse.adapters.sandbox.ozon.world import SellerWorld
from stpulse.application.accounts.admin_users import make_admin
from stpulse.domain.ledger.default_mapping import DEFAULT_TYPE_ARTICLES
from stpulse.entrypoints.bootstrap import bootstrap
from stpulse.entrypoints.worker.actors import recalculate_type
from tests.integration.money.loader import add_shop, load_lines, load_products
from tests.services import run_sync

PASSWORD = "root-password-2026"
pytestmark = pytest.mark.browser


def _seed(server, pg_url: str) -> int:  # type: ignore[no-untyped-def]
    world = SellerWorld(31, "small")
    lines = list(world.accrual_lines(dt.date(2026, 6, 1), dt.date(2026, 8, 31)))
    unknown = sorted({x.type_id for x in lines if x.component.value == "service" and x.type_id is not None
                      and x.type_id not in DEFAULT_TYPE_ARTICLES})

    async def go() -> None:
        container = bootstrap(server.settings)
        admin = await make_admin(container.deps, "root@example.ru", PASSWORD, "Админ")
        async with container.deps.uow() as uow:
            account_id = (await uow.memberships.for_user(admin.id))[0].account_id
        shop_id = await add_shop(pg_url, account_id, "Магазин админа", "31")
        await load_products(pg_url, shop_id, world)
        await load_lines(pg_url, shop_id, lines)
        await container.close()

    run_sync(go())
    return unknown[0]


def _recalculate(server, type_id: int) -> None:  # type: ignore[no-untyped-def]
    async def go() -> None:
        container = bootstrap(server.settings)
        try:
            await recalculate_type(lambda: container.deps, str(type_id))
        finally:
            await container.close()

    run_sync(go())


def test_admin_maps_a_type_and_watches_the_past_months_recalculated(live_server, page: Page, pg_url: str):
    base, type_id = live_server.url, _seed(live_server, pg_url)
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(base + "/auth/login")
    page.fill("#f-email", "root@example.ru")
    page.fill("#f-password", PASSWORD)
    page.click("button[type=submit]")
    page.goto(base + "/app/reports/pnl?from=2026-06&to=2026-08")
    expect(page.locator("[data-data-age]")).to_contain_text("Данные Ozon ещё не загружены: «Магазин админа»")
    page.screenshot(path="/tmp/money2-report.png")
    page.goto(base + "/admin/ledger/")
    expect(page.locator(f"tr[data-unmapped='{type_id}']")).to_be_visible()
    page.fill("#f-type_id", str(type_id))
    page.select_option("#f-article", "penalties")
    page.click("form[action='/admin/ledger/'] button[type=submit]")
    row = page.locator(f"tr[data-remap='{type_id}']")
    expect(row).to_have_attribute("data-remap-state", "running")
    expect(row).to_contain_text("Тип покинет очередь, когда пересчёт закончится")
    expect(page.locator(f"tr[data-unmapped='{type_id}']")).to_be_visible()
    page.screenshot(path="/tmp/money2-remap-running.png", full_page=True)
    _recalculate(live_server, type_id)
    expect(row).to_have_attribute("data-remap-state", "done", timeout=10_000)  # the partial polled by itself
    expect(row).to_contain_text("Готово")
    expect(page.locator(f"tr[data-unmapped='{type_id}']")).to_have_count(0)  # and the page refreshed the queue
    page.screenshot(path="/tmp/money2-remap-done.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1440
