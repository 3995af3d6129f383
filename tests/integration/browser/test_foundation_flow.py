"""Register → confirm e-mail from the mail folder → log in → add a legal entity → invite an analyst →
the analyst logs in, sees the account read-only and cannot edit."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

PASSWORD = "correct-horse-1"
pytestmark = pytest.mark.browser


def _register(page: Page, base: str) -> None:
    page.goto(base + "/auth/register")
    page.fill("#f-full_name", "Анна Продавцова")
    page.fill("#f-email", "anna@example.ru")
    page.fill("#f-password", PASSWORD)
    page.fill("#f-password_confirm", PASSWORD)
    page.check("#f-consent")
    page.click("button[type=submit]")
    expect(page.locator("h1")).to_have_text("Подтвердите почту")


def _login(page: Page, base: str, email: str) -> None:
    page.goto(base + "/auth/login")
    page.fill("#f-email", email)
    page.fill("#f-password", PASSWORD)
    page.click("button[type=submit]")
    expect(page).to_have_url(base + "/app")


def _add_legal_entity(page: Page, base: str) -> None:
    page.click("text=Юрлица")
    page.click("text=Добавить юрлицо")
    page.fill("#f-name", "ИП Продавцова А. А.")
    page.fill("#f-inn", "500100732258")  # wrong control digit first: a Russian field error, nothing saved
    page.click("main button[type=submit]")
    expect(page.locator("[data-error=inn]")).to_contain_text("контрольное число")
    page.fill("#f-inn", "500100732259")
    page.click("main button[type=submit]")
    expect(page.locator("[data-entity='500100732259']")).to_be_visible()


def test_owner_invites_analyst_who_sees_read_only(live_server, page: Page, second_page: Page):
    base = live_server.url
    _register(page, base)
    confirm = live_server.mailbox.last_link("anna@example.ru")
    page.goto(confirm)
    expect(page.locator("h1")).to_have_text("Почта подтверждена")
    _login(page, base, "anna@example.ru")
    page.goto(base + "/app/billing")  # without a subscription the cabinet is read-only: the trial opens it
    page.click("#start-trial")
    _add_legal_entity(page, base)

    page.click("text=Команда")
    page.fill("#f-email", "oleg@example.ru")
    page.select_option("#f-role", "analyst")
    page.click("text=Отправить приглашение")
    expect(page.locator(".alert-success")).to_contain_text("oleg@example.ru")

    member = second_page
    member.goto(live_server.mailbox.last_link("oleg@example.ru"))
    member.fill("#f-full_name", "Олег Аналитик")
    member.fill("#f-password", PASSWORD)
    member.fill("#f-password_confirm", PASSWORD)
    member.check("#f-consent")
    member.click("button[type=submit]")
    expect(member.locator(".alert-success")).to_contain_text("присоединились")
    _login(member, base, "oleg@example.ru")
    expect(member.locator("[data-role=analyst]")).to_be_visible()

    member.click("text=Юрлица")
    expect(member.locator("[data-entity='500100732259']")).to_be_visible()
    expect(member.locator("text=Добавить юрлицо")).to_have_count(0)
    expect(member.locator("text=Удалить")).to_have_count(0)
    member.click("text=ИП Продавцова А. А.")
    expect(member.locator(".alert-info")).to_contain_text("Только просмотр")
    expect(member.locator("#f-inn")).to_be_disabled()

    member.goto(base + "/app/legal-entities/new")
    expect(member.locator("h1")).to_have_text("Нет доступа")
    member.goto(base + "/app/team")
    expect(member.locator("text=Приглашать сотрудников может только владелец")).to_be_visible()
