"""Reports read the packed monthly rollups (adapters/db/rollup_packs.py) and a re-sync is seen at once.

The rollups go in through the sync's own writer (`FactsRepo.write_daily_rollups` + `rebuild_monthly`, which
refreshes the packs). Every report must equal the one read from the plain rows (packs removed), before and after
a month is re-imported with other amounts, in the same process (the decoded packs are cached by stamp).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import asyncpg
import msgspec
import numpy as np

from stpulse.adapters.db.ledger import rollup_packs
from stpulse.adapters.db.reports import content_cache
from stpulse.application.accounts.actor import Actor
from stpulse.application.reports.views import ReportRequest, build_report
from stpulse.domain.accounts.legal import LegalEntity
from stpulse.domain.costs.cogs import CostPrice
from stpulse.domain.kernel.period import day_number
from stpulse.domain.ledger.articles import ARTICLE_INDEX, RETURNS, REVENUE
from stpulse.domain.ledger.rollup import make_rollup
from tests.integration.money.loader import PRODUCT_COLUMNS, add_shop, dsn
from tests.integration.web_helpers import sign_up

SKUS = [501, 502, 503]
ITEM_ARTICLES = [REVENUE, RETURNS, ARTICLE_INDEX["commission"], ARTICLE_INDEX["logistics"]]
SHOP_ARTICLES = [ARTICLE_INDEX["storage"], ARTICLE_INDEX["promotion"]]
MONTHS = [(dt.date(2026, 1, 1), dt.date(2026, 1, 31)), (dt.date(2026, 2, 1), dt.date(2026, 2, 28))]


def month_rollup(first: dt.date, last: dt.date, seed: int):  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(seed)
    days = np.arange(day_number(first), day_number(last) + 1)
    rows = [(d, s, a) for d in days for s in range(len(SKUS)) for a in ITEM_ARTICLES]
    rows += [(d, -1, a) for d in days for a in SHOP_ARTICLES]
    day, sku, art = (np.array(c) for c in zip(*rows, strict=True))
    sign = np.where((art == REVENUE), 1, -1)
    return make_rollup(day=day, shop=np.zeros(len(day)), sku=sku, article=art,
                       amount=sign * rng.integers(1, 500_000, len(day)), quantity=rng.integers(0, 9, len(day)),
                       shop_ids=[0], skus=SKUS, sku_shop=[0] * len(SKUS))


async def sync_month(deps, shop_id: uuid.UUID, month: int, seed: int) -> None:  # type: ignore[no-untyped-def]
    first, last = MONTHS[month]
    async with deps.uow() as uow:
        days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
        await uow.facts.write_daily_rollups(shop_id, days, month_rollup(first, last, seed))
        await uow.facts.rebuild_monthly(shop_id, [first])
        await uow.commit()


async def reports(deps, actor: Actor, shop_id: uuid.UUID) -> list:  # type: ignore[no-untyped-def]
    req = ReportRequest(shop_ids=(shop_id,), month_from="2026-01", month_to="2026-02")
    return [(await build_report(deps, actor, kind, req)).table for kind in ("pnl", "unit")]


async def without_packs(deps, actor: Actor, shop_id: uuid.UUID, url: str) -> list:  # type: ignore[no-untyped-def]
    conn = await asyncpg.connect(dsn(url))
    saved = await conn.fetch("SELECT * FROM sku_monthly_packs WHERE shop_id = $1", shop_id)
    await conn.execute("DELETE FROM sku_monthly_packs WHERE shop_id = $1", shop_id)
    try:
        return await reports(deps, actor, shop_id)
    finally:
        await conn.copy_records_to_table("sku_monthly_packs", records=[tuple(r) for r in saved],
                                         columns=list(saved[0].keys()))
        await conn.close()


class Seller(msgspec.Struct, frozen=True, kw_only=True):
    deps: Any
    actor: Actor
    account_id: uuid.UUID
    shop_id: uuid.UUID


async def seller_with_two_months(app, client, mailbox, pg_url: str, email: str, name: str, client_id: str,  # type: ignore[no-untyped-def]
                                 legal_entity: LegalEntity | None = None) -> Seller:
    """A signed-up seller with costs for A-501 (changing mid-January) and A-502, a shop with SKUS 501–503 and
    January and February written through the sync's own rollup writer."""
    await sign_up(client, mailbox, email, name)
    deps = app.state.container.deps
    async with deps.uow() as uow:
        user = await uow.users.by_email(email)
        membership = (await uow.memberships.for_user(user.id))[0]
        account = await uow.accounts.get(membership.account_id)
        if legal_entity is not None:
            await uow.legal_entities.add(msgspec.structs.replace(legal_entity, account_id=account.id))
        # a cost that changes mid-month: that SKU's January sales are read by day (cached under the stamp)
        await uow.cost_prices.upsert(account.id, [
            CostPrice(offer_id="A-501", effective_from=dt.date(2025, 1, 1), purchase=10_000),
            CostPrice(offer_id="A-501", effective_from=dt.date(2026, 1, 15), purchase=12_000),
            CostPrice(offer_id="A-502", effective_from=dt.date(2025, 1, 1), purchase=7_000)])
        await uow.commit()
    actor = Actor(user=user, account=account, membership=membership)
    shop_id = await add_shop(pg_url, account.id, name, client_id,
                             legal_entity_id=legal_entity.id if legal_entity is not None else None)
    conn = await asyncpg.connect(dsn(pg_url))
    await conn.copy_records_to_table("ozon_products", columns=list(PRODUCT_COLUMNS), records=[
        (shop_id, 9000 + s, f"A-{s}", s, f"Товар {s}", "", 100, False, b"{}") for s in SKUS])
    await conn.close()
    for month in (0, 1):
        await sync_month(deps, shop_id, month, seed=month)
    return Seller(deps=deps, actor=actor, account_id=account.id, shop_id=shop_id)


async def test_reports_from_packs_equal_the_rows_and_follow_a_resync(app, client, mailbox, pg_url):
    seller = await seller_with_two_months(app, client, mailbox, pg_url, "packs@example.ru", "Пакеты", "7001")
    deps, actor, shop_id, account = seller.deps, seller.actor, seller.shop_id, seller.actor.account

    first = await reports(deps, actor, shop_id)
    assert first == await reports(deps, actor, shop_id)  # second read: from the process cache
    assert first == await without_packs(deps, actor, shop_id, pg_url)
    assert first[0].row("revenue").total != 0

    await sync_month(deps, shop_id, 0, seed=42)  # January re-imported with other amounts
    second = await reports(deps, actor, shop_id)
    assert second == await without_packs(deps, actor, shop_id, pg_url)
    assert second[0].row("revenue").values[0] != first[0].row("revenue").values[0]
    assert second[0].row("revenue").values[1] == first[0].row("revenue").values[1]  # February untouched
    assert second[1] != first[1]

    rollup_packs.CACHE.clear()  # a fresh process reads the same from the packs
    assert await reports(deps, actor, shop_id) == second

    # the cost book and the catalogue are kept per fingerprint of their rows: a change is seen at once
    async with deps.uow() as uow:
        await uow.cost_prices.upsert(account.id, [
            CostPrice(offer_id="A-502", effective_from=dt.date(2025, 1, 1), purchase=9_000)])
        await uow.commit()
    conn = await asyncpg.connect(dsn(pg_url))
    await conn.execute("UPDATE ozon_products SET name = 'Новое имя' WHERE shop_id = $1 AND sku = 502", shop_id)
    await conn.close()
    third = await reports(deps, actor, shop_id)
    assert third[1].row("1:502").label == "A-502 — Новое имя"
    assert third[1].row("total").values != second[1].row("total").values
    content_cache.clear()
    rollup_packs.CACHE.clear()
    assert await reports(deps, actor, shop_id) == third
