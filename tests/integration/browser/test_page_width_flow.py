"""Issue 18.3: at 1440 × 900 no cabinet page is wider than the window; wide reports scroll inside their own box
with the header row and the first column sticky, and product names stay on one or two lines."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.integration.browser.seller import log_in, seed_seller

pytestmark = pytest.mark.browser
YEAR = "from=2025-09&to=2026-08"
PAGES = ["/app", f"/app/reports/pnl?{YEAR}", f"/app/reports/unit?{YEAR}", "/app/costs", "/app/expenses",
         "/app/shops", "/app/legal-entities", "/app/legal-entities/new", "/app/team", "/app/documents",
         "/app/profile", "/app/api-tokens", "/app/billing", "/app/search?q=магазин", "/pages/help",
         # this session's screens: every registered report and the new cabinet pages
         *[f"/app/reports/{code}?{YEAR}" for code in ("ops", "returns", "plan", "buyouts", "recon", "cash", "stock",
                                                     "supply", "ads")],
         "/app/plan/", "/app/cash", "/app/models", "/app/report-settings", "/app/planning/params", "/app/alerts",
         "/app/alerts/rules", "/app/activity"]


def _overflow(page: Page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.mark.parametrize("size", [(1440, 900), (390, 844)], ids=["desktop", "phone"])
def test_no_cabinet_page_is_wider_than_the_window(live_server, page: Page, pg_url: str, size: tuple[int, int]):
    base = live_server.url
    shops = seed_seller(live_server, pg_url, shops=2)
    page.set_viewport_size({"width": size[0], "height": size[1]})
    log_in(page, base)
    for path in PAGES + [f"/app/shops/{shop_id}" for shop_id in shops.values()]:
        response = page.goto(base + path)
        if path.startswith("/app"):  # content pages (/pages/help) are seeded by `stpulse migrate`, not here
            assert response is not None and response.status < 400, f"{path} answered {response and response.status}"
        assert _overflow(page) <= 0, f"{path} is {_overflow(page)} px wider than the window at {size}"


def test_a_wide_report_scrolls_in_its_box_with_sticky_header_and_first_column(live_server, page: Page, pg_url: str):
    base = live_server.url
    seed_seller(live_server, pg_url, shops=1)
    page.set_viewport_size({"width": 1440, "height": 900})
    log_in(page, base)
    for kind in ("pnl", "unit"):
        page.goto(f"{base}/app/reports/{kind}?{YEAR}")
        box = page.locator(".report-table").locator("xpath=..")
        assert box.evaluate("b => b.scrollWidth > b.clientWidth"), f"{kind}: the table should be wider than its box"
        first_cell = page.locator(".report-table tbody tr").nth(3).locator("td").first
        header = page.locator(".report-table thead th").nth(2)
        cell_x, header_y = first_cell.bounding_box()["x"], header.bounding_box()["y"]  # type: ignore[index]
        box.evaluate("b => { b.scrollLeft = 600; b.scrollTop = 300; }")
        page.wait_for_timeout(100)
        assert abs(first_cell.bounding_box()["x"] - cell_x) < 1, f"{kind}: the first column scrolled away"  # type: ignore[index]
        assert abs(header.bounding_box()["y"] - header_y) < 1, f"{kind}: the header row scrolled away"  # type: ignore[index]
        assert _overflow(page) <= 0
    names = page.locator(".report-table tbody td:first-child")
    tallest = max(names.evaluate_all("cells => cells.map(c => c.getBoundingClientRect().height)"))
    assert tallest < 60, f"a product name wraps onto several lines ({tallest:.0f} px high)"
    page.screenshot(path="/tmp/ui/unit.png")
