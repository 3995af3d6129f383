"""Issue 12, «Two clocks», in the browser at 1440 × 900: ОПиУ shows, under the confirmed P&L, the section with the
profit by accruals (confirmed) and by orders (estimated), each labelled in Russian, the deviation of closed months,
the footnote with the formula — and the page is no wider than the window."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from stpulse.adapters.sandbox.ozon.world import SellerWorld
from tests.integration.browser.seller import log_in, seed_seller
from tests.integration.money.loader_ops import load_postings_and_returns
from tests.services import run_sync

pytestmark = pytest.mark.browser
SHOT = Path("/tmp/ui/pnl-two-clocks.png")


def test_pnl_shows_both_clocks_labelled_and_fits_the_window(live_server, page: Page, pg_url: str):
    base = live_server.url
    shops = seed_seller(live_server, pg_url, shops=1)
    run_sync(load_postings_and_returns(pg_url, uuid.UUID(shops["Магазин 31"]), SellerWorld(31, "small"),
                                       dt.date(2026, 6, 1), dt.date(2026, 8, 31)))
    page.set_viewport_size({"width": 1440, "height": 900})
    log_in(page, base)
    page.goto(f"{base}/app/reports/pnl?from=2026-06&to=2026-08")
    table = page.locator(".report-table")
    for label in ("Прибыль по начислениям (подтверждено)", "Прибыль по заказам (оценка)",
                  "Выручка по заказам (оценка)", "Отклонение оценки прибыли, ₽", "Отклонение оценки прибыли, %",
                  "Ожидаемое вознаграждение Ozon (−)", "Налог на оценочную базу (−)"):
        expect(table).to_contain_text(label)
    cells = lambda code: page.locator(f"tr[data-row='{code}'] td").all_inner_texts()[1:]  # noqa: E731
    assert cells("clock:profit_confirmed") == cells("net_profit")  # the confirmed cells are ОПиУ's own, with total
    estimated, deviation = cells("clock:profit_estimated"), cells("clock:profit_deviation")
    money = re.compile(r"^−?\d{1,3}(\u00a0\d{3})*,\d\d$")
    assert len(estimated) == 4 and all(money.match(v) for v in estimated), estimated  # June…August and the total
    assert all(money.match(v) for v in deviation), deviation  # June…August are closed (the server's clock is later)
    expect(page.locator("[data-footnote]")).to_contain_text("Два расчёта прибыли")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    page.locator("tr", has_text="Прибыль по начислениям (подтверждено)").scroll_into_view_if_needed()
    SHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOT))
    page.locator("[data-footnote]").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOT.with_name("pnl-two-clocks-bottom.png")))
