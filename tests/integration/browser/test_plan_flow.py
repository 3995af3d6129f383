"""Issue 15, План: a seller enters a month's plan (a wrong figure is shown next to its field), then sees the fact,
% done and the forecast in the report — at 1440×900, nothing wider than the window."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.integration.browser.seller import log_in, seed_seller


def _fits(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def test_enter_a_plan_and_see_done_and_forecast(live_server, page: Page, pg_url: str):
    seed_seller(live_server, pg_url, shops=1)
    page.set_viewport_size({"width": 1440, "height": 900})
    base = live_server.url
    log_in(page, base)
    page.click("nav >> text=План: цели")
    expect(page).to_have_url(re.compile(r"/app/plan/?$"))
    expect(page.locator("[data-plan-targets]")).to_contain_text("Целей за период нет")
    page.fill("#f-month", "2026-08")
    page.fill("#f-revenue", "сто тысяч")
    page.click("text=Сохранить")
    expect(page.locator("[data-error=revenue]")).to_contain_text("вместо числа")  # next to the field
    page.fill("#f-revenue", "100 000")
    page.fill("#f-units", "10")
    page.fill("#f-drr", "5")
    page.click("text=Сохранить")
    expect(page.locator("[data-target=shop]")).to_contain_text("100 000,00")
    _fits(page)
    page.screenshot(path="/tmp/ui-plan/targets.png", full_page=True)
    page.goto(base + "/app/reports/plan?from=2026-06&to=2026-08")
    revenue = page.locator("tr[data-row='679:shop:revenue']")
    expect(revenue.locator("[data-col=plan]")).to_have_text("100 000,00")
    fact = revenue.locator("[data-col=fact]").inner_text()
    assert fact != "—" and revenue.locator("[data-col=forecast]").inner_text() == fact  # a closed month
    expect(revenue.locator("[data-col=done_pct]")).to_contain_text("%")
    units = page.locator("tr[data-row='679:shop:units'] [data-col=forecast]")
    expect(units).to_have_class(re.compile("text-success|text-danger"))  # ahead green, behind red
    expect(page.locator("[data-footnote]")).to_contain_text("Прогноз = факт с начала месяца")  # the formula
    _fits(page)
    page.screenshot(path="/tmp/ui-plan/report.png", full_page=True)
    with page.expect_download() as download:
        page.click("#export-xlsx")
    assert download.value.suggested_filename.endswith(".xlsx")
