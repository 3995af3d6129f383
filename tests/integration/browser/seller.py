"""A confirmed seller (optionally with two sandbox shops and their accruals) and a logged-in browser page."""

from __future__ import annotations

import datetime as dt

import msgspec
from playwright.sync_api import Page, expect

from stpulse.adapters.sandbox.ozon.world import SellerWorld
from stpulse.application.accounts.identity import Register, register
from stpulse.application.billing.common import catalog, trial_tariff_code
from stpulse.domain.billing import Subscription
from stpulse.entrypoints.bootstrap import bootstrap
from tests.integration.money.loader import add_shop, load_lines, load_products
from tests.services import run_sync

EMAIL, PASSWORD = "seller@example.ru", "seller-password-2026"


async def start_trial(uow, user_id, now) -> None:  # type: ignore[no-untyped-def]
    """The trial (every feature): an account without one is read-only."""
    sub = Subscription.new(user_id=user_id, tariff_code=trial_tariff_code(await catalog(uow)), now=now)
    await uow.subscriptions.save(sub.start_trial(now=now))


def seed_seller(server, pg_url: str, *, shops: int = 0) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Register and confirm the seller; with `shops`, load that many small sandbox shops (June–August 2026)."""
    ids: dict[str, str] = {}

    async def go() -> None:
        container = bootstrap(server.settings)  # its own engine: this runs in another event loop
        deps = container.deps
        user = await register(deps, Register(email=EMAIL, password=PASSWORD, password_confirm=PASSWORD,
                                             full_name="Демо Продавец", consent=True))
        async with deps.uow() as uow:
            await uow.users.update(msgspec.structs.replace(user, email_confirmed_at=deps.clock.now()))
            account_id = (await uow.memberships.for_user(user.id))[0].account_id
            await start_trial(uow, user.id, deps.clock.now())
            await uow.commit()
        for seed in range(31, 31 + shops):
            world = SellerWorld(seed, "small")
            shop_id = await add_shop(pg_url, account_id, f"Магазин {seed}", str(seed))
            await load_products(pg_url, shop_id, world)
            await load_lines(pg_url, shop_id, list(world.accrual_lines(dt.date(2026, 6, 1), dt.date(2026, 8, 31))))
            ids[f"Магазин {seed}"] = str(shop_id)
        await container.close()

    run_sync(go())
    return ids


def log_in(page: Page, base: str) -> None:
    page.goto(base + "/auth/login")
    page.fill("#f-email", EMAIL)
    page.fill("#f-password", PASSWORD)
    page.click("button[type=submit]")
    expect(page).to_have_url(base + "/app")
