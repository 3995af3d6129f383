"""Issue 16, acceptance 6, in Chromium at 1440 × 900 with screenshots kept in the test's tmp_path: the home page
draws every chart of the dashboard offline (every request the page makes goes to the live server on 127.0.0.1:
the chart library is served from /static), the day / week / month switch of «Выручка, прибыль и заказы» redraws it,
a tile opens its report with that period, and an alert made by the rules after a sync appears in the notification
centre with the unread count in the menu."""

from __future__ import annotations

import datetime as dt
import os
import re
import threading
from pathlib import Path

import msgspec
import pytest
import uvicorn
from playwright.sync_api import Page, expect

from stpulse.application.alerts.evaluate import evaluate_account
from stpulse.application.costs import cost_book
from stpulse.application.ozon.sync import sync_shop
from stpulse.entrypoints.bootstrap import bootstrap
from stpulse.entrypoints.settings import Settings
from stpulse.entrypoints.web.app import create_app
from tests.fakes import FixedClock
from tests.integration.browser.conftest import LiveServer, _free_port
from tests.integration.conftest import Mailbox
from tests.sandbox_shop import connect, new_actor, ozon_factory, sandbox_app
from tests.services import REDIS_URL, run_sync, truncate_all

pytestmark = pytest.mark.browser
NOW = dt.datetime(2026, 9, 30, 9, 0, tzinfo=dt.UTC)  # the sandbox's today
SHOPS = [("764001", "key-764001", 11, "small")]
EMAIL, PASSWORD = "dash-browser@example.ru", "password-12345"
# kept after the run (pytest's own tmp folders rotate when several runs share the machine)
SHOTS = Path(os.environ.get("STPULSE_SCREENSHOTS", "/tmp/stpulse-screenshots")) / "dashboard"


class ClockedServer(LiveServer):
    """The live server on the sandbox's today (its data ends there)."""

    def __init__(self, settings) -> None:  # type: ignore[no-untyped-def]
        self.settings = settings
        self.app = create_app(settings, bootstrap(settings, clock=FixedClock(NOW)))
        self.server = uvicorn.Server(uvicorn.Config(self.app, host="127.0.0.1", port=settings.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.url = f"http://127.0.0.1:{settings.port}"
        self.mailbox = Mailbox(settings.mail_dir)


@pytest.fixture
def server(pg_url: str, tmp_path):  # type: ignore[no-untyped-def]
    """As the conftest's live server (PostgreSQL, Redis, a free port, plain http), on the sandbox's clock."""
    run_sync(truncate_all(pg_url))
    port = _free_port()
    settings = Settings(mode="production", database_url=pg_url, redis_url=REDIS_URL, data_dir=tmp_path, port=port,
                        base_url=f"http://127.0.0.1:{port}", embedded_worker=False, cookie_secure=False)
    with ClockedServer(settings) as s:
        yield s


def _seed(settings) -> None:  # type: ignore[no-untyped-def]
    async def go() -> None:
        c = bootstrap(settings, clock=FixedClock(NOW), ozon=ozon_factory(sandbox_app(SHOPS)))
        deps = c.deps
        actor = await new_actor(deps, EMAIL)
        async with deps.uow() as uow:
            await uow.users.update(msgspec.structs.replace(actor.user, email_confirmed_at=NOW))
            await uow.commit()
        shop_id = await connect(deps, actor, SHOPS[0][0], SHOPS[0][1], "Магазин Браузер")
        await sync_shop(deps, shop_id)
        # a cost far above the price from 1 September: the rules find a loss-making SKU and a margin drop
        from stpulse.application.reports.views import ReportRequest, build_report
        unit = (await build_report(deps, actor, "unit", ReportRequest(month_from="2026-09", month_to="2026-09"))).table
        assert unit is not None
        row = next(r for r in unit.rows if ":" in r.code)
        await cost_book.save_cost(deps, actor, cost_book.CostForm(offer_id=row.label.split(" — ")[0],
                                                                  effective_from="2026-09-01", purchase="900000"))
        assert await evaluate_account(deps, actor.account_id)
        await c.close()

    run_sync(go())


def test_dashboard_draws_offline_tile_opens_report_alert_in_centre(server, page: Page, pg_url: str):
    tmp_path = SHOTS
    tmp_path.mkdir(parents=True, exist_ok=True)
    _seed(server.settings)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(server.url + "/auth/login")
    page.fill("#f-email", EMAIL)
    page.fill("#f-password", PASSWORD)
    page.click("button[type=submit]")
    expect(page).to_have_url(server.url + "/app")

    # the dashboard on the home page: five period tiles, stock value and the next payout, every chart drawn by the
    # vendored library; the two new tiles show a figure or «нет данных»
    expect(page.locator("[data-tile]")).to_have_count(7)
    for code in ("stock_value", "payout"):
        cell = page.locator(f'[data-tile="{code}"] [data-figure="{code}"]')
        expect(cell).to_have_count(1)
        text = cell.inner_text()
        assert ("нет данных" in text) == (cell.get_attribute("data-value") == ""), text
    charts = page.locator("[data-chart]")
    expect(charts).to_have_count(4)
    for i in range(charts.count()):
        expect(charts.nth(i)).to_have_attribute("data-drawn", "yes")
        expect(charts.nth(i).locator("canvas")).to_have_count(1)
    expect(page.locator("[data-chart-table]")).to_have_count(4)
    assert page.evaluate("typeof echarts") == "object"
    assert page.evaluate("document.documentElement.scrollWidth") <= 1440
    tiles = page.locator("[data-tile]").all_inner_texts()
    assert all("Заказы, ₽" in t for t in tiles[:5]), tiles  # every period tile has its orders
    assert not re.search(r"%\s*%|₽\s*₽", " ".join(tiles)), tiles  # a unit is written once
    page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)
    outside = [u for u in requests if not u.startswith(server.url)]
    assert outside == [], outside
    assert any(u.endswith("/static/vendor/echarts/echarts.min.js") for u in requests)
    assert any("/app/dashboard/charts.json" in u for u in requests)

    # «Выручка, прибыль и заказы»: the switch day → week → month redraws the chart and its table
    for view, label, rows in (("day", "Дни", 30), ("week", "Недели", 12), ("month", "Месяцы", 12)):
        page.click(f'[data-switch="sales"] button[data-view="{view}"]')
        card = page.locator('[data-card="sales"]')
        expect(card.locator(f'[data-chart="sales"][data-view="{view}"]')).to_have_attribute("data-drawn", "yes")
        expect(card.locator(f'button[data-view="{view}"]')).to_have_attribute("aria-pressed", "true")
        expect(card.locator("canvas")).to_have_count(1)
        expect(card.locator("[data-chart-table] tbody tr")).to_have_count(rows)
        assert card.locator(f'button[data-view="{view}"]').inner_text() == label
        assert page.evaluate("document.documentElement.scrollWidth") <= 1440
        page.screenshot(path=str(tmp_path / f"sales-{view}.png"), full_page=True)
    # the week's table open: grouped Russian numbers, nothing wider than the window (a screenshot of the window)
    page.click('[data-switch="sales"] button[data-view="week"]')
    card = page.locator('[data-card="sales"]')
    expect(card.locator('[data-chart="sales"][data-view="week"]')).to_have_attribute("data-drawn", "yes")
    card.locator("summary").click()
    table = card.locator("[data-chart-table]")
    expect(table).to_be_visible()
    assert table.locator("thead").inner_text().split("\t")[:2] == ["Неделя", "Выручка, ₽"]
    assert re.search(r"\d\u00a0\d{3}", table.locator("tbody").inner_text())  # e.g. «57 204,00»
    assert page.evaluate("document.documentElement.scrollWidth") <= 1440
    card.scroll_into_view_if_needed()
    page.wait_for_timeout(1200)  # the chart's own animation ends (the picture only)
    page.screenshot(path=str(tmp_path / "sales-week-table.png"))
    page.click('[data-switch="sales"] button[data-view="month"]')
    expect(page.locator('[data-chart="sales"][data-view="month"]')).to_have_attribute("data-drawn", "yes")
    drawn = page.evaluate("""() => {
        const chart = echarts.getInstanceByDom(document.querySelector('[data-chart="sales"]'));
        return chart.getOption().xAxis[0].data; }""")
    assert drawn[-1] == "Сентябрь 2026" and len(drawn) == 12  # the month view is what is drawn now
    assert any("charts.json?chart=sales&view=week" in u for u in requests)
    outside = [u for u in requests if not u.startswith(server.url)]
    assert outside == [], outside

    # a tile opens its report with that period
    revenue = page.locator("[data-tile='last_month'] [data-figure='revenue'] span").first.inner_text()
    page.click("[data-tile='last_month'] a")
    expect(page).to_have_url(re.compile(r"/app/reports/pnl\?from=2026-08&to=2026-08"))
    expect(page.locator("body")).to_contain_text(revenue.replace("\u00a0₽", "").strip())
    page.screenshot(path=str(tmp_path / "tile-report.png"), full_page=True)

    # the alert in the notification centre, the unread count in the menu
    page.goto(server.url + "/app")
    badge = page.locator("#alerts-badge [data-unread-badge]")
    expect(badge).to_be_visible()
    page.click("#sidebar >> text=Уведомления")
    expect(page).to_have_url(server.url + "/app/alerts")
    expect(page.locator("[data-alert='loss_sku']").first).to_contain_text("Убыточный товар")
    page.screenshot(path=str(tmp_path / "alerts.png"), full_page=True)
    page.click("text=Отметить все прочитанными")
    expect(page.locator("[data-read='no']")).to_have_count(0)
    outside = [u for u in requests if not u.startswith(server.url)]
    assert outside == [], outside
    print(f"\nscreenshots: {tmp_path}")
