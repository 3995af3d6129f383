"""Issue 19, tariffs: the cards sell only features that exist, and a refusal says what the tariff lacks and links to
«Тариф» — at 1440×900, nothing wider than the window."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from stpulse.entrypoints.bootstrap import bootstrap
from tests.integration.browser.seller import EMAIL, log_in, seed_seller
from tests.services import run_sync
from tests.unit.foundation.helpers import subscribe


def _on_start(server) -> None:  # type: ignore[no-untyped-def]
    async def go() -> None:
        container = bootstrap(server.settings)
        deps = container.deps
        async with deps.uow() as uow:
            user = await uow.users.by_email(EMAIL)
            account = await uow.accounts.get((await uow.memberships.for_user(user.id))[0].account_id)

        class Owner:
            pass

        owner = Owner()
        owner.account = account  # type: ignore[attr-defined]
        await subscribe(deps, owner, "start")  # type: ignore[arg-type]
        await container.close()

    run_sync(go())


def _fits(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def test_cards_sell_only_built_features_and_a_refusal_links_to_the_tariff(live_server, page: Page, pg_url: str):
    seed_seller(live_server, pg_url)
    _on_start(live_server)
    page.set_viewport_size({"width": 1440, "height": 900})
    base = live_server.url
    log_in(page, base)
    page.goto(base + "/app/billing")
    cards = page.locator("[data-tariff-card]")
    expect(cards).to_have_count(3)
    expect(page.locator("[data-tariff-card='pro']")).to_contain_text("Доступ по API")
    for built in ("План-факт", "Отчёт по рекламе"):  # both built now: sold from «Бизнес», not on «Старт»
        expect(page.locator("[data-tariff-card='business']")).to_contain_text(built)
        expect(page.locator("[data-tariff-card='start']")).not_to_contain_text(built)
    _fits(page)
    page.screenshot(path="/tmp/ui-tariffs/billing.png", full_page=True)
    page.goto(base + "/app/api-tokens/")  # the page says it before anyone tries
    expect(page.locator("[data-tariff-closed]")).to_contain_text("«Доступ по API» не входит в тариф «Старт»")
    page.screenshot(path="/tmp/ui-tariffs/api_page.png", full_page=True)
    page.fill("input[name=name]", "Скрипт")
    page.click("text=Создать токен")
    flash = page.get_by_text("не входит в тариф «Старт»")
    expect(flash).to_be_visible()
    expect(page.locator("a[data-action=upgrade]")).to_have_attribute("href", "/app/billing")
    expect(page.locator("a[data-action=upgrade]")).to_have_text("Тариф")
    _fits(page)
    page.screenshot(path="/tmp/ui-tariffs/api_refused.png", full_page=True)
