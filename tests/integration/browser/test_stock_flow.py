"""Issues 13 and 15 in the browser at 1440×900: Товарные остатки opens from the menu with stock-outs in red;
Планирование поставок changes its quantities when the lead time and the days of cover change, and exports xlsx
grouped by cluster."""

from __future__ import annotations

import datetime as dt
import io
import re
import uuid

import openpyxl
from bench.reports_stock import load_stock_history
from playwright.sync_api import Page, expect

from stpulse.adapters.sandbox.ozon.world import SellerWorld
from tests.integration.browser.seller import log_in, seed_seller
from tests.integration.money.loader import dsn
from tests.services import run_sync

TODAY = dt.date(2026, 9, 30)


def _fits(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def _total(page: Page) -> int:
    return int(re.sub(r"\D", "", page.locator("tr[data-row=total] td[data-col=quantity]").inner_text()))


def test_stock_and_supply_planning_pages(live_server, page: Page, pg_url: str):
    shops = seed_seller(live_server, pg_url, shops=1)
    shop_id = next(iter(shops.values()))
    run_sync(load_stock_history(dsn(pg_url), uuid.UUID(shop_id), SellerWorld(31, "small", TODAY),
                                TODAY - dt.timedelta(days=59), TODAY, items_from=TODAY - dt.timedelta(days=364 + 60)))
    page.set_viewport_size({"width": 1440, "height": 900})
    base = live_server.url
    log_in(page, base)

    page.click("nav >> text=Товарные остатки")
    expect(page).to_have_url(re.compile(r"/app/reports/stock"))
    expect(page.locator("h1")).to_have_text("Товарные остатки")
    expect(page.locator("#report-body")).to_contain_text("на 30.09.2026")
    expect(page.locator("tr[data-row=total] td[data-col=available]")).not_to_have_text("0")
    expect(page.locator("th", has_text="Продаж в день, 30 дн")).to_be_visible()
    _fits(page)
    page.screenshot(path="/tmp/ui-stock/stock.png", full_page=True)
    with page.expect_download() as download:
        page.click("#export-xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(open(download.value.path(), "rb").read())).active
    assert sheet.max_row > 10

    page.click("nav >> text=Планирование поставок")
    expect(page.locator("h1")).to_have_text("Планирование поставок")
    expect(page.locator("#report-body")).to_contain_text("шт/дн ×")  # the formula with the SKU's numbers
    before = _total(page)
    first = page.locator("tr[data-row] td[data-col=lead]").first
    expect(first).to_have_text("14")
    page.select_option("#lead", "30")
    expect(page.locator("tr[data-row] td[data-col=lead]").first).to_have_text("30")
    page.select_option("#cover", "60")
    expect(page.locator("tr[data-row] td[data-col=cover]").first).to_have_text("60")
    after = _total(page)
    assert after > before, (before, after)
    expect(page).to_have_url(re.compile(r"lead=30.*cover=60|cover=60.*lead=30"))
    _fits(page)
    page.screenshot(path="/tmp/ui-stock/supply.png", full_page=True)
    with page.expect_download() as download:
        page.click("#export-xlsx")
    rows = list(openpyxl.load_workbook(io.BytesIO(open(download.value.path(), "rb").read())).active.iter_rows(
        values_only=True))
    labels = [r[0] for r in rows if isinstance(r[0], str)]
    assert any(x.endswith(": итого") for x in labels)
    total = next(r for r in rows if r[0] == "Итого")
    assert [v for v in total if v is not None][-1] == after  # the file has the page's numbers

    page.click("nav >> text=Параметры поставок")
    expect(page.locator("#params-table")).to_be_visible()
    _fits(page)
