"""A filled demo cabinet for newcomers: a seller with a legal entity, an admin, and the help pages."""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING

import msgspec

from stpulse.application.accounts.actor import Actor
from stpulse.application.accounts.admin_users import make_admin
from stpulse.application.accounts.content import PageForm, ensure_legal_pages, save_page
from stpulse.application.accounts.identity import Register, register_new
from stpulse.application.accounts.legal_entities import (
    LegalEntityForm,
    add_legal_entity,
    link_shop,
    list_legal_entities,
)
from stpulse.application.accounts.operators import owner_actor
from stpulse.entrypoints.bootstrap import Container

if TYPE_CHECKING:
    from stpulse.application.ozon.sync import Progress

DEMO_EMAIL, DEMO_PASSWORD = "demo@stpulse.local", "demo-password-2026"
ADMIN_EMAIL, ADMIN_PASSWORD = "admin@stpulse.local", "admin-password-2026"

PAGES = {
    "help": ("Справка", "# Как начать\n\n1. Добавьте юрлицо в разделе **Юрлица** — от налогового режима зависит "
             "расчёт налога.\n2. Пригласите сотрудников в разделе **Команда**.\n3. Загрузите договоры и счета "
             "в **Документы**.\n"),
}  # the offer, the privacy policy and the consent come from the operator's requisites (ensure_legal_pages)


async def seed_demo(container: Container, sync: bool = True,
                    progress: Progress | None = None) -> dict[str, tuple[str, str]]:
    deps = container.deps
    admin = await make_admin(deps, ADMIN_EMAIL, ADMIN_PASSWORD, "Администратор STPulse")
    async with deps.uow() as uow:
        existing_pages = {p.slug for p in await uow.pages.all()}
        demo_user = await uow.users.by_email(DEMO_EMAIL)
    for slug, (title, body) in PAGES.items():
        if slug not in existing_pages:
            await save_page(deps, admin, PageForm(slug=slug, title=title, body_markdown=body, published=True))
    await ensure_legal_pages(deps, container.settings.operator())
    if demo_user is None:
        demo_user = await register_new(deps, Register(email=DEMO_EMAIL, password=DEMO_PASSWORD,
                                                  password_confirm=DEMO_PASSWORD, full_name="Демо Продавец",
                                                  consent=True))
        async with deps.uow() as uow:
            confirmed = msgspec.structs.replace(demo_user, email_confirmed_at=deps.clock.now())
            await uow.users.update(confirmed)
            await uow.commit()
        actor = await _actor(container, confirmed)
        await add_legal_entity(deps, actor, LegalEntityForm(
            kind="ip", name="ИП Демо Продавец", inn="500100732259", tax_regime="usn_income", tax_rate_percent="6"))
    await _demo_shop(container, demo_user, sync, progress)
    return {"Продавец": (DEMO_EMAIL, DEMO_PASSWORD), "Администратор": (ADMIN_EMAIL, ADMIN_PASSWORD)}


async def _demo_shop(container: Container, user, sync: bool,  # type: ignore[no-untyped-def]
                     progress: Progress | None = None) -> None:
    """A sandbox shop (medium profile) synced for 12 months, in the foreground so the demo is ready at once."""
    from stpulse.application.ozon.shops import ConnectShop, connect_shop, list_shops
    from stpulse.application.ozon.sync import sync_shop
    from stpulse.application.ozon.sync_ports import SyncKind
    from stpulse.entrypoints.ozon_wiring import EMBEDDED_SHOPS

    logging.getLogger("httpx").setLevel(logging.WARNING)
    actor = await _actor(container, user)
    client_id = "100002"
    shops = [s for s, _ in await list_shops(container.deps, actor) if s.client_id == client_id]
    shop = shops[0] if shops else await connect_shop(container.deps, actor, ConnectShop(
        name="Демо-магазин", client_id=client_id, api_key=EMBEDDED_SHOPS[client_id][0]))
    if sync and shop.synced_to is None:
        await sync_shop(container.deps, shop.id, SyncKind.BACKFILL, progress=progress)
    await _demo_tax(container, actor, shop)
    await _demo_costs(container, actor, client_id)
    await _demo_cash(container, actor)


async def _demo_tax(container: Container, actor: Actor, shop) -> None:  # type: ignore[no-untyped-def]
    """The demo shop belongs to the demo ИП on УСН «доходы» 6 %, so ОПиУ shows the tax and its rule."""
    if shop.legal_entity_id is not None:
        return
    entities = await list_legal_entities(container.deps, actor)
    if entities:
        await link_shop(container.deps, actor, shop.id, entities[0].id)


async def _demo_costs(container: Container, actor: Actor, client_id: str) -> None:
    """Cost prices for the demo catalogue, so Юнитка shows a profit per SKU and the cost chart has a step:
    purchase ~38 % of the seller's price, delivery 4 %, packaging 30 ₽, marking 5 ₽ on every third SKU, and
    the purchase price up 7 % from four months ago. Every 20th SKU is left without a cost, to show the list of
    sales without cost. Written once (an account that already has a cost book is left alone)."""
    from stpulse.adapters.sandbox.ozon.world import SellerWorld
    from stpulse.domain.costs.cogs import CostPrice
    from stpulse.entrypoints.ozon_wiring import EMBEDDED_SHOPS

    deps = container.deps
    async with deps.uow() as uow:
        if (await uow.cost_prices.book(actor.account_id)).entries:
            return
    _, seed, profile = EMBEDDED_SHOPS[client_id]
    catalog = SellerWorld(seed, profile).catalog
    today = deps.clock.now().date()
    index = today.year * 12 + today.month - 1 - 4
    raised_from = dt.date(index // 12, index % 12 + 1, 1)
    entries = []
    for i in range(catalog.n):
        if i % 20 == 19:
            continue
        price = int(catalog.price[i])
        purchase = price * 38 // 10_000 * 100  # whole roubles
        extra = {"delivery": price * 4 // 10_000 * 100, "packaging": 3000, "marking": 500 if i % 3 == 0 else 0}
        entries.append(CostPrice(offer_id=catalog.offer_id(i), effective_from=dt.date(2024, 1, 1),
                                 purchase=purchase, **extra))
        entries.append(CostPrice(offer_id=catalog.offer_id(i), effective_from=raised_from,
                                 purchase=purchase * 107 // 10_000 * 100, **extra))
    async with deps.uow() as uow:
        await uow.cost_prices.upsert(actor.account_id, entries)
        await uow.commit()


async def _actor(container: Container, user) -> Actor:  # type: ignore[no-untyped-def]
    return await owner_actor(container.deps, user.email)


async def _demo_cash(container: Container, actor: Actor) -> None:
    """ДДС: a bank account that receives Ozon's payouts and a cash box with opening balances a year ago, and the
    usual monthly payments (rent, salaries, suppliers, ad top-ups) and a loan. Written once."""
    from stpulse.application.cash import book
    from stpulse.application.kernel.deps import new_id
    from stpulse.domain.cash.book import CashEntry

    deps = container.deps
    today = deps.clock.now().date()
    start = dt.date(today.year - 1, today.month, 1)
    async with deps.uow() as uow:
        if await uow.cash.accounts(actor.account_id):
            return
    bank = await book.save_account(deps, actor, book.AccountForm(
        name="Расчётный счёт", kind="bank", opening_date=start.strftime("%d.%m.%Y"), opening_balance="300000",
        receives_payouts="1"))
    till = await book.save_account(deps, actor, book.AccountForm(
        name="Касса", kind="cash", opening_date=start.strftime("%d.%m.%Y"), opening_balance="20000"))
    categories = {c.name: c.id for c in (await book.cash_book(deps, actor, start, today)).categories}
    plan = (("Аренда", bank.id, 5, 40_000_00), ("Зарплата", bank.id, 10, 60_000_00),
            ("Оплата поставщикам", bank.id, 15, 250_000_00), ("Пополнение рекламы", bank.id, 20, 30_000_00),
            ("Прочие платежи", till.id, 25, 3_500_00))
    entries = []
    for i in range(12):
        month = dt.date(start.year + (start.month - 1 + i) // 12, (start.month - 1 + i) % 12 + 1, 1)
        entries += [CashEntry(id=new_id(), account_id=actor.account_id, money_account_id=account,
                              category_id=categories[name], date=month.replace(day=day), amount=amount)
                    for name, account, day, amount in plan if month.replace(day=day) <= today]
    entries.append(CashEntry(id=new_id(), account_id=actor.account_id, money_account_id=bank.id,
                             category_id=categories["Получение кредитов и займов"], date=start.replace(day=3),
                             amount=500_000_00, comment="кредит на оборотные средства"))
    async with deps.uow() as uow:
        await uow.cash.save_entries(entries)
        await uow.commit()
