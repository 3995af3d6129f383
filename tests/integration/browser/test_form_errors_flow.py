"""Issue 18.2: a refused HTMX form shows its Russian errors next to the fields; an upload over the limit says it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.integration.browser.seller import log_in, seed_seller

pytestmark = pytest.mark.browser
MB = 1024 * 1024


def test_refused_forms_show_their_errors(live_server, page: Page, pg_url: str):
    base = live_server.url
    seed_seller(live_server, pg_url)
    log_in(page, base)

    page.goto(base + "/app/profile")
    page.fill("#f-phone", "позвоните мне")
    page.click("#profile-form button[type=submit]")
    expect(page.locator("#profile-form [data-error=phone]")).to_contain_text("Телефон")
    page.fill("#f-old_password", "not-my-password")
    page.fill("#f-new_password", "another-password-1")
    page.fill("#f-new_password_confirm", "another-password-1")
    page.click("#password-form button[type=submit]")
    expect(page.locator("#password-form [data-error=old_password]")).to_contain_text("неверно")

    page.goto(base + "/app/team")
    page.fill("#f-email", "not-an-e-mail")
    page.click("text=Отправить приглашение")
    expect(page.locator("#team-body [data-error=email]")).to_be_visible()

    page.goto(base + "/app/documents")
    page.set_input_files("#f-file", files=[{"name": "virus.exe", "mimeType": "application/octet-stream",
                                            "buffer": b"MZ" + b"\0" * 100}])
    page.click("#documents-body button[type=submit]")
    expect(page.locator("#documents-body [data-error=file]")).to_be_visible()
    for size, shown_in in ((10 * MB + 10, "#documents-body [data-error=file]"), (30 * MB, "#flash")):
        page.set_input_files("#f-file", files=[{"name": "big.pdf", "mimeType": "application/pdf",
                                                "buffer": b"%PDF-1.4\n" + b"0" * size}])
        page.click("#documents-body button[type=submit]")  # checked by the app; far over: refused by the server
        expect(page.locator(shown_in)).to_contain_text("больше допустимого размера 10 МБ")
        page.goto(base + "/app/documents")

    page.goto(base + "/app/costs")
    page.set_input_files("input[name=file]", files=[{"name": "costs.xlsx", "mimeType": "text/plain",
                                                     "buffer": b"not a spreadsheet"}])
    page.click("text=Загрузить")
    expect(page.locator("#import-errors")).to_be_visible()
