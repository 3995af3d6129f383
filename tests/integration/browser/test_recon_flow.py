"""«Сверка с Ozon» in the browser (issue 12, acceptance 5): ОПиУ's badge shows the gap with Ozon and links to the
reconciliation; a difference opens the Ozon documents behind it — within a 1440 × 900 window."""

from __future__ import annotations

import datetime as dt
import re

import msgspec
import pytest
from bench.reports_data import raw_lines
from bench.reports_settlement import _balance, _period, realization
from playwright.sync_api import Page, expect

from stpulse.adapters.sandbox.ozon import settlement as st
from stpulse.adapters.sandbox.ozon.world import SellerWorld
from stpulse.application.accounts.identity import Register, register_new
from stpulse.application.ledger.settlement import RealizationHeader
from stpulse.domain.kernel.formatting import format_amount, format_rub
from stpulse.entrypoints.bootstrap import bootstrap
from tests.integration.browser.seller import start_trial
from tests.integration.money.loader import add_shop, load_lines, load_products
from tests.services import run_sync

PASSWORD = "recon-password-2026"
FIRST, LAST = dt.date(2026, 6, 1), dt.date(2026, 8, 31)
pytestmark = pytest.mark.browser


def _seed(server, pg_url: str) -> int:  # type: ignore[no-untyped-def]
    """A small seller's summer with Ozon's documents, one payout line lost (the gap to find); returns it."""
    world = SellerWorld(31, "small")
    lost = st.payments(world, dt.date(2026, 7, 1), dt.date(2026, 7, 31))[0]

    async def go() -> None:
        container = bootstrap(server.settings)
        deps = container.deps
        user = await register_new(deps, Register(email="recon@example.ru", password=PASSWORD,
                                                 password_confirm=PASSWORD, full_name="Продавец", consent=True))
        async with deps.uow() as uow:
            await uow.users.update(msgspec.structs.replace(user, email_confirmed_at=deps.clock.now()))
            account_id = (await uow.memberships.for_user(user.id))[0].account_id
            await start_trial(uow, user.id, deps.clock.now())
            await uow.commit()
        shop_id = await add_shop(pg_url, account_id, "Летний магазин", "31")
        await load_products(pg_url, shop_id, world)
        await load_lines(pg_url, shop_id, list(world.accrual_lines(FIRST, LAST + dt.timedelta(days=2))))
        lines = raw_lines(world, FIRST, LAST + dt.timedelta(days=2))
        async with deps.uow() as uow:
            s = uow.settlement
            await s.refresh_day_sums(shop_id, FIRST, LAST + dt.timedelta(days=2), [10, 25])
            for month, rows in realization(lines, FIRST, LAST).items():
                await s.save_realization(shop_id, month, RealizationHeader(number="1", doc_date=""), rows)
            periods = range(st.period_index(FIRST), st.period_index(LAST) + 1)
            await s.save_cash_flow(shop_id, [_period(world, shop_id, q) for q in periods])
            days = [FIRST + dt.timedelta(days=i) for i in range((LAST - FIRST).days + 1)]
            balances = [_balance(world, shop_id, d) for d in days]
            balances = [msgspec.structs.replace(b, paid=b.paid - lost.amount, lines=b.lines - 1)
                        if b.day == lost.day else b for b in balances]
            await s.save_balances(shop_id, balances)
            await uow.commit()
        await container.close()

    run_sync(go())
    return lost.amount


def test_badge_leads_to_the_reconciliation_and_a_difference_opens_its_lines(live_server, page: Page, pg_url: str,
                                                                            tmp_path):
    lost = _seed(live_server, pg_url)
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(live_server.url + "/auth/login")
    page.fill("#f-email", "recon@example.ru")
    page.fill("#f-password", PASSWORD)
    page.click("button[type=submit]")
    page.goto(live_server.url + "/app/reports/pnl?from=2026-06&to=2026-08")
    badge = page.locator("a[data-recon-badge]")
    expect(badge).to_contain_text(f"Сверено с Ozon: расхождение {format_rub(lost)}")
    badge.click()
    expect(page).to_have_url(re.compile(r"/app/reports/recon\?"))
    expect(page.locator("h1")).to_have_text("Сверка с Ozon")
    unexplained = page.locator("tr[data-row='unexplained_payouts'] td[data-col='2026-07']")
    expect(unexplained).to_have_text(format_amount(lost))
    expect(unexplained).to_have_class(re.compile("text-danger"))
    expect(page.locator("tr[data-row='unexplained_realization'] td[data-col='2026-07']")).to_have_text("0,00")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1440
    page.screenshot(path=str(tmp_path / "recon.png"), full_page=True)

    page.click("tr[data-row='unexplained_payouts'] a.drill-link")
    drill = page.locator("#recon-drill")
    expect(drill).to_contain_text("Не объяснено (выплаты)")
    july = drill.locator("section[data-month='2026-07']")
    expect(july.locator("[data-value]")).to_have_text(format_rub(lost))
    expect(july.locator("table[data-table='periods'] tbody tr")).to_have_count(2)
    expect(drill.locator("section[data-month='2026-06']")).to_have_count(0)  # nothing to explain there

    page.click("tr[data-row='holds'] a.drill-link")
    expect(page.locator("#recon-drill")).to_contain_text("Удержано Ozon")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1440
    page.screenshot(path=str(tmp_path / "recon-drill.png"), full_page=True)
