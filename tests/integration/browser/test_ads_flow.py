"""Issue 14, acceptance 6: a seller adds a Performance key on the shop's page (a wrong secret is refused next to the
field and never shown back), watches the import, opens «Реклама», sorts by ads profit and exports xlsx — at
1440×900."""

from __future__ import annotations

import dataclasses
import io
import uuid

import httpx
import openpyxl
import pytest
from playwright.sync_api import Page, expect

from stpulse.adapters.ozon.performance import PerformanceApiFactory, PerformanceSettings
from stpulse.adapters.sandbox.ozon import SandboxConfig, ShopConfig, create_sandbox_app
from stpulse.adapters.sandbox.ozon.performance.config import AdAccountConfig, PerformanceConfig, ad_client_id
from stpulse.application.ads.sync import sync_ads
from stpulse.entrypoints.bootstrap import bootstrap
from tests.integration.browser.seller import log_in, seed_seller
from tests.services import run_sync

pytestmark = pytest.mark.browser
ACCOUNT = AdAccountConfig(client_id=ad_client_id(310_001), client_secret="browser-secret-310", seller="31",
                          organisation="ООО «Тест»")


def _factory(app) -> PerformanceApiFactory:  # type: ignore[no-untyped-def]
    return PerformanceApiFactory(PerformanceSettings(base_url="http://sandbox.test", requests_per_second=1e6,
                                                     first_poll=0.01), transport=httpx.ASGITransport(app=app))


def test_seller_adds_a_key_watches_the_import_and_reads_ads(live_server, page: Page, pg_url: str):
    base = live_server.url
    shops = seed_seller(live_server, pg_url, shops=1)
    shop_id = shops["Магазин 31"]
    sandbox = create_sandbox_app(SandboxConfig(shops=[ShopConfig(client_id="31", api_key="k-31", seed=31)],
                                               performance=PerformanceConfig(accounts=[ACCOUNT])))
    container = live_server.app.state.container
    container.deps = dataclasses.replace(container.deps, performance=_factory(sandbox))
    page.set_viewport_size({"width": 1440, "height": 900})
    log_in(page, base)
    page.goto(f"{base}/app/shops/{shop_id}")
    summary = page.locator("[data-ads-summary]")
    expect(summary).to_contain_text("Ключи рекламных кабинетов не добавлены")
    summary.locator("text=Рекламные кабинеты").click()
    expect(page.locator("h1")).to_have_text("Рекламные кабинеты (Performance API)")
    expect(page.locator("[data-no-keys]")).to_be_visible()
    page.fill("#f-label", "Основной кабинет")
    page.fill("#f-organisation", ACCOUNT.organisation)
    page.fill("#f-client_id", ACCOUNT.client_id)
    page.fill("#f-client_secret", "wrong-secret-value")
    page.click("#add-ad-key button[type=submit]")
    expect(page.locator("[data-error=client_secret]")).to_contain_text("недействителен")
    assert "wrong-secret-value" not in page.content()
    expect(page.locator("#f-client_id")).to_have_value(ACCOUNT.client_id)  # the rest of the form is kept
    page.fill("#f-client_secret", ACCOUNT.client_secret)
    page.click("#add-ad-key button[type=submit]")
    row = page.locator(f"tr[data-key='{ACCOUNT.client_id}']")
    expect(row).to_contain_text("Первая загрузка")
    assert ACCOUNT.client_secret not in page.content()

    async def import_now() -> None:  # the worker's job (the live server runs none)
        worker = bootstrap(live_server.settings, performance=_factory(sandbox))
        results = await sync_ads(worker.deps, uuid.UUID(shop_id))
        assert [r.ok for r in results] == [True], results
        await worker.close()

    run_sync(import_now())
    expect(row).to_contain_text("Загружается", timeout=10_000)  # the page polls itself
    page.goto(f"{base}/app/shops/{shop_id}")
    expect(page.locator("[data-ads-summary]")).to_contain_text("загружено по")
    page.click("nav >> text=Реклама")
    expect(page.locator("h1")).to_have_text("Реклама")
    table = page.locator("table[data-report=ads]")
    expect(table.locator("tbody tr").first).to_be_visible()
    page.click("th[data-col=ads_profit] a")
    expect(page.locator("th[data-col=ads_profit]")).to_contain_text("↑")
    profits = _column(page, "ads_profit")
    assert profits == sorted(profits) and len(profits) > 1
    page.click("th[data-col=ads_profit] a")
    expect(page.locator("th[data-col=ads_profit]")).to_contain_text("↓")
    assert _column(page, "ads_profit") == sorted(profits, reverse=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1440
    with page.expect_download() as download:
        page.click("#export-xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(open(download.value.path(), "rb").read())).active
    headers = [c.value for c in sheet[1]]
    assert any(h and "Прибыль от рекламы" in str(h) for h in headers) and sheet.max_row > 2


def _column(page: Page, code: str) -> list[int]:
    cells = page.locator(f"table[data-report=ads] tbody tr:not(.fw-semibold) td[data-col={code}]").all_inner_texts()
    return [int("".join(ch for ch in text.replace("−", "-") if ch.isdigit() or ch == "-") or 0)
            for text in cells if text.strip() not in ("", "—")]
