"""Issue 13 in the browser at 1440 × 900: Операционка and Возвраты open from the menu, switch shop, period and
model, hide a metric (remembered), drill into a cell's postings, export xlsx without the hidden metric; Модели
takes an offer by the form."""

from __future__ import annotations

import datetime as dt
import io
import re
import uuid

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from stpulse.adapters.sandbox.ozon.world import SellerWorld
from tests.integration.browser.seller import log_in, seed_seller
from tests.integration.money.loader_ops import load_postings_and_returns
from tests.services import run_sync

pytestmark = pytest.mark.browser


def test_ops_and_returns_pages(live_server, page: Page, pg_url: str):
    base = live_server.url
    shops = seed_seller(live_server, pg_url, shops=2)
    for seed, name in ((31, "Магазин 31"), (32, "Магазин 32")):
        run_sync(load_postings_and_returns(pg_url, uuid.UUID(shops[name]), SellerWorld(seed, "small"),
                                           dt.date(2026, 6, 1), dt.date(2026, 8, 31)))
    world = SellerWorld(31, "small")
    page.set_viewport_size({"width": 1440, "height": 900})
    log_in(page, base)
    page.click("#sidebar >> text=Модели")
    expect(page.locator("h1")).to_have_text("Модели")
    for i in range(3):
        page.fill("#offer_id", world.catalog.offer_id(i))
        page.fill("#model-name", "Модель-Альфа")
        page.click("#model-form button[type=submit]")
        expect(page.locator(f"tr[data-offer='{world.catalog.offer_id(i)}']")).to_contain_text("Модель-Альфа")
    page.fill("#offer_id", "нет-такого")
    page.fill("#model-name", "Модель-Альфа")
    page.click("#model-form button[type=submit]")
    expect(page.locator("#offer_id + .invalid-feedback, .invalid-feedback").first).to_contain_text("не найден")

    for title, code, metric, label in (("Операционка", "ops", "stock", "Остаток, шт."),
                                        ("Возвраты", "returns", "refused_units", "Невыкупы, шт.")):
        page.click(f"#sidebar >> text={title}")
        expect(page.locator("h1")).to_have_text(title)
        page.select_option("#from", "2026-06")
        page.select_option("#to", "2026-08")
        expect(page.locator("#report-body .text-secondary.small").first).to_contain_text("июнь 2026 — август 2026")
        total = page.locator("tr[data-row=total]")
        expect(total).to_be_visible()
        both = total.inner_text()
        page.check(f"#shop-{shops['Магазин 31']}")
        expect(page).to_have_url(re.compile(f"shops={shops['Магазин 31']}"))
        expect(total).not_to_have_text(both)
        one_shop = total.inner_text()
        page.select_option("#model", "Модель-Альфа")
        expect(page).to_have_url(re.compile("model=%D0"))
        expect(total).not_to_have_text(one_shop)
        assert page.locator("tbody tr[data-row]").count() <= 4  # three SKUs at most and the total
        page.check("#group-model")
        expect(page).to_have_url(re.compile("group=model"))
        page.select_option("#model", "")
        expect(page).to_have_url(re.compile("model=&"))
        expect(page.locator("tr[data-row='model:Модель-Альфа']")).to_be_visible()
        page.click("summary:has-text('Показатели')")
        expect(page.locator(f"th[data-col={metric}]")).to_be_visible()
        page.uncheck(f"#metric-{metric}")
        expect(page.locator(f"th[data-col={metric}]")).to_have_count(0)
        assert page.evaluate("document.documentElement.scrollWidth") <= 1440
        page.screenshot(path=f"/tmp/opsx/{code}.png")
        with page.expect_download() as download:
            page.click("#export-xlsx")
        sheet = openpyxl.load_workbook(io.BytesIO(open(download.value.path(), "rb").read())).active
        header = [c.value for c in sheet[1]]
        assert label not in header and len(header) > 3
        page.goto(f"{base}/app/reports/{code}")  # the choice is remembered for the report
        expect(page.locator(f"th[data-col={metric}]")).to_have_count(0)

    page.goto(f"{base}/app/reports/ops?from=2026-06&to=2026-08&view=week")
    expect(page.locator("tr[data-row^='week:']").first).to_be_visible()
    page.locator("a.cell-link").first.click()
    expect(page.locator("#postings tbody tr").first).to_be_visible()
    page.screenshot(path="/tmp/opsx/ops_drill.png")
