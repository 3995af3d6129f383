"""Issue 18.9: a bad period or a shop the user cannot see in a link says what is wrong and shows the nearest
valid choice; a backwards range picked in the form is turned round, visibly."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.integration.browser.seller import log_in, seed_seller

pytestmark = pytest.mark.browser


def test_bad_links_and_a_backwards_range_are_corrected_with_a_note(live_server, page: Page, pg_url: str):
    base = live_server.url
    seed_seller(live_server, pg_url, shops=1)
    page.set_viewport_size({"width": 1440, "height": 900})
    log_in(page, base)
    notice = page.locator("[data-notice]")

    page.goto(base + "/app/reports/pnl?from=2026-13&to=2026-08")
    expect(notice).to_contain_text("Месяц «2026-13» не распознан")
    expect(page.locator("tr[data-row=net_profit]")).to_be_visible()
    expect(page.locator("#to")).to_have_value("2026-08")

    page.goto(base + "/app/reports/unit?from=2026-08&to=2026-06")
    expect(notice).to_contain_text("Конец периода раньше начала — показан период июнь 2026 — август 2026")
    expect(page.locator("#from")).to_have_value("2026-06")
    expect(page.locator("#to")).to_have_value("2026-08")

    page.goto(f"{base}/app/reports/pnl?from=2026-06&to=2026-08&shops={uuid.uuid4()}")
    expect(notice).to_contain_text("Магазин из ссылки недоступен")
    expect(page.locator("tr[data-row=revenue] td[data-col=total]")).not_to_have_text("0,00")
    expect(page.locator("#all-shops")).to_be_checked()

    page.goto(base + "/app/reports/pnl?from=2026-06&to=2026-08")  # in the form: «С месяца» after «По месяц»
    expect(notice).to_have_count(0)
    page.select_option("#from", "2026-10")
    expect(notice).to_contain_text("Конец периода раньше начала")
    expect(page.locator("#from")).to_have_value("2026-08")
    expect(page.locator("#to")).to_have_value("2026-10")
    expect(page.locator(".text-secondary.small").first).to_contain_text("август 2026 — октябрь 2026")
    page.screenshot(path="/tmp/ui/pnl.png")
