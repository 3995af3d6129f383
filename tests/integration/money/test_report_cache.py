"""Finished report tables are kept per process and in the store every process shares (Redis;
application/reports/cache.py) under the database's fingerprint.

A repeated request is served from the cache; any change the report depends on — a cost price, an own expense, the
tax settings, the ledger mapping, the catalogue, a re-synced month, written through the product's own paths or by raw
SQL (the catalogue's and the cost book's version stamps are kept by PostgreSQL's triggers, migration 0019a) — gives
another key in both levels, so the next report is computed again (a miss of this process and of the shared store),
another process then finds it in the shared store, and both equal one computed from scratch (every per-process cache
and the shared store emptied). ОПиУ's estimate by order date is kept per process apart (`ESTIMATES`): a table
computed again for what the estimate does not read reuses it, and every change it reads is seen.
"""

from __future__ import annotations

import datetime as dt
import uuid

import asyncpg
import msgspec
import numpy as np

from stpulse.adapters.db.ledger import rollup_packs
from stpulse.adapters.db.reports import content_cache
from stpulse.application.accounts.actor import Actor
from stpulse.application.costs.ports import OpexRecord
from stpulse.application.ozon.records import Posting, PostingProduct, Product, ProductInfo
from stpulse.application.reports.cache import ESTIMATES, TABLES
from stpulse.application.reports.views import ReportRequest, build_report
from stpulse.domain.accounts.legal import EntityKind, LegalEntity
from stpulse.domain.costs.cogs import CostPrice
from stpulse.domain.ledger.articles import RETURNS, LedgerMapping
from stpulse.domain.reports.cube import AllocationRule
from tests.integration.contract_helpers import blank
from tests.integration.money.loader import add_shop, dsn
from tests.integration.money.test_rollup_packs import MONTHS, month_rollup, seller_with_two_months, sync_month
from tests.integration.web_helpers import sign_up

REQ = ReportRequest(month_from="2026-01", month_to="2026-02")


async def reports(deps, actor: Actor, req: ReportRequest = REQ) -> list:  # type: ignore[no-untyped-def]
    return [(await build_report(deps, actor, kind, req)).table for kind in ("pnl", "unit")]


async def from_scratch(deps, actor: Actor, req: ReportRequest = REQ) -> list:  # type: ignore[no-untyped-def]
    TABLES.clear()
    await deps.report_cache.shared.clear()
    content_cache.clear()
    rollup_packs.CACHE.clear()
    ESTIMATES.clear()
    return await reports(deps, actor, req)


async def in_another_process(deps, actor: Actor) -> list:  # type: ignore[no-untyped-def]
    """A process with an empty first level (its own tables, decoded packs and copies) finds both in the shared store
    (once the first process has written its copies, which a request does behind its answer)."""
    await deps.report_cache.flushed()
    TABLES.clear()
    content_cache.clear()
    rollup_packs.CACHE.clear()
    ESTIMATES.clear()
    hits = deps.report_cache.shared_hits
    tables = await reports(deps, actor)
    assert deps.report_cache.shared_hits == hits + 2
    return tables


async def served(deps, actor: Actor, expected: list) -> None:  # type: ignore[no-untyped-def]
    """The same request again: both tables come from the cache (equal tables; only the data age is set anew)."""
    hits = TABLES.hits
    again = await reports(deps, actor)
    assert TABLES.hits == hits + 2
    assert again == expected


async def recomputed(deps, actor: Actor, before: list) -> list:  # type: ignore[no-untyped-def]
    """The next report is computed anew (a miss for both kinds) and equals a from-scratch computation."""
    misses, shared_misses = TABLES.misses, deps.report_cache.shared_misses
    now = await reports(deps, actor)
    assert (TABLES.misses, deps.report_cache.shared_misses) == (misses + 2, shared_misses + 2)
    assert now == await in_another_process(deps, actor)
    assert now == await from_scratch(deps, actor)
    await served(deps, actor, await reports(deps, actor))
    return now


async def sql(url: str, statement: str, *args: object) -> None:
    conn = await asyncpg.connect(dsn(url))
    try:
        await conn.execute(statement, *args)
    finally:
        await conn.close()


async def test_a_repeated_report_is_served_from_the_cache_and_every_change_is_seen(app, client, mailbox, pg_url):
    entity = LegalEntity(id=uuid.uuid4(), account_id=uuid.uuid4(), kind=EntityKind.IP, name="ИП Кэш",
                         inn="500100732259")
    seller = await seller_with_two_months(app, client, mailbox, pg_url, "cache@example.ru", "Кэш", "8001", entity)
    deps, actor, shop_id = seller.deps, seller.actor, seller.shop_id
    account = actor.account

    assert deps.report_cache.shared is not None  # the integration app runs with Redis, as in production
    first = await reports(deps, actor)
    assert first == await in_another_process(deps, actor)
    assert first == await from_scratch(deps, actor)
    await served(deps, actor, await reports(deps, actor))

    # a cost price
    async with deps.uow() as uow:
        await uow.cost_prices.upsert(account.id, [
            CostPrice(offer_id="A-502", effective_from=dt.date(2025, 1, 1), purchase=9_000)])
        await uow.commit()
    costs = await recomputed(deps, actor, first)
    assert costs[0].row("cogs").total != first[0].row("cogs").total
    # deleted through the cost form, then written back by raw SQL (the cost book's stamp is the triggers' work)
    async with deps.uow() as uow:
        await uow.cost_prices.delete(account.id, "A-502", dt.date(2025, 1, 1))
        await uow.commit()
    deleted = await recomputed(deps, actor, costs)
    assert deleted[0].row("cogs").total != costs[0].row("cogs").total
    await sql(pg_url, "INSERT INTO cost_prices (id, account_id, offer_id, effective_from, purchase, delivery, "
              "packaging, marking, created_at, updated_at) VALUES ($1, $2, 'A-502', '2025-01-01', 8000, 0, 0, 0, "
              "now(), now())", uuid.uuid4(), account.id)
    costs = await recomputed(deps, actor, deleted)
    assert costs[0].row("cogs").total not in (deleted[0].row("cogs").total, first[0].row("cogs").total)

    # an own expense of the shop, then one of the whole account
    async with deps.uow() as uow:
        await uow.opex.add(OpexRecord(id=uuid.uuid4(), account_id=account.id, shop_id=shop_id,
                                      month=dt.date(2026, 2, 1), article="Аренда", amount=5_000_000))
        await uow.commit()
    opex = await recomputed(deps, actor, costs)
    assert opex[0].row("opex:Аренда").values == (0, -5_000_000)
    async with deps.uow() as uow:
        await uow.opex.add(OpexRecord(id=uuid.uuid4(), account_id=account.id, shop_id=None,
                                      month=dt.date(2026, 1, 1), article="Зарплата", amount=3_000_000))
        await uow.commit()
    opex = await recomputed(deps, actor, opex)
    assert opex[0].row("opex:Зарплата").values == (-3_000_000, 0)

    # the tax settings of the shop's legal entity
    await sql(pg_url, "UPDATE legal_entities SET tax_rate_percent = '1' WHERE id = $1", entity.id)
    taxed = await recomputed(deps, actor, opex)
    assert taxed[0].row("tax").total != opex[0].row("tax").total

    # the catalogue
    await sql(pg_url, "UPDATE ozon_products SET name = 'Новое имя' WHERE shop_id = $1 AND sku = 502", shop_id)
    named = await recomputed(deps, actor, taxed)
    assert named[1].row("1:502").label == "A-502 — Новое имя"
    # the catalogue through the sync's own writer, then a product deleted by raw SQL
    async with deps.uow() as uow:
        await uow.facts.upsert_products(shop_id, [blank(Product, product_id=9503, offer_id="A-503")], [blank(
            ProductInfo, product_id=9503, offer_id="A-503", sku=503, name="Имя из синхронизации")])
        await uow.commit()
    synced = await recomputed(deps, actor, named)
    assert synced[1].row("1:503").label == "A-503 — Имя из синхронизации"
    await sql(pg_url, "DELETE FROM ozon_products WHERE shop_id = $1 AND sku = 503", shop_id)
    named = await recomputed(deps, actor, synced)
    assert named != synced

    # the ledger mapping: a new key at once; the figures follow when the sync rebuilds the rollups
    async with deps.uow() as uow:
        await uow.ledger.save(LedgerMapping.default().with_changes({999_001: "storage"}), dt.datetime.now(dt.UTC))
        await uow.commit()
    mapped = await recomputed(deps, actor, named)
    assert mapped == named

    # a re-synced month (new stamp of its pack)
    await sold_month(deps, shop_id, *MONTHS[0], seed=42)
    resynced = await recomputed(deps, actor, mapped)
    assert resynced[0].row("revenue").values[0] != mapped[0].row("revenue").values[0]
    assert resynced[0].row("revenue").values[1] == mapped[0].row("revenue").values[1]

    # another allocation rule and another period are other keys
    units = ReportRequest(month_from="2026-01", month_to="2026-02", allocation=AllocationRule.UNITS)
    by_units = (await build_report(deps, actor, "unit", units)).table
    assert by_units != resynced[1]
    assert by_units == (await from_scratch(deps, actor, units))[1]
    january = (await build_report(deps, actor, "pnl", ReportRequest(month_from="2026-01", month_to="2026-01"))).table
    assert january is not None and len(january.columns) == 1


async def test_a_month_without_a_pack_is_not_cached(app, client, mailbox, pg_url):
    """Rows written without refreshing the packs have no stamp: such a period is computed every time."""
    await sign_up(client, mailbox, "nopack@example.ru", "Без пакетов")
    deps = app.state.container.deps
    async with deps.uow() as uow:
        user = await uow.users.by_email("nopack@example.ru")
        membership = (await uow.memberships.for_user(user.id))[0]
        account = await uow.accounts.get(membership.account_id)
    actor = Actor(user=user, account=account, membership=membership)
    shop_id = await add_shop(pg_url, account.id, "Без пакетов", "8002")
    for month in (0, 1):
        await sync_month(deps, shop_id, month, seed=month)
    await sql(pg_url, "DELETE FROM sku_monthly_packs WHERE shop_id = $1", shop_id)
    first = await reports(deps, actor)
    await sql(pg_url, "UPDATE sku_monthly_rollups SET amount = amount + 100 WHERE shop_id = $1 AND article = 0",
              shop_id)
    second = await reports(deps, actor)
    assert second[0].row("revenue").total != first[0].row("revenue").total
    assert second == await from_scratch(deps, actor)


async def estimated(deps, actor: Actor, kept: bool, req: ReportRequest = REQ) -> list:  # type: ignore[no-untyped-def]
    """Both reports computed anew (the finished tables emptied), ОПиУ with its kept estimate or with one made
    again, and equal to a computation from scratch."""
    await deps.report_cache.flushed()
    TABLES.clear()
    await deps.report_cache.shared.clear()
    hits, misses = ESTIMATES.hits, ESTIMATES.misses
    now = await reports(deps, actor, req)
    assert (ESTIMATES.hits - hits, ESTIMATES.misses - misses) == ((1, 0) if kept else (0, 1))
    assert now == await from_scratch(deps, actor, req)
    return now


async def write_orders(deps, shop_id: uuid.UUID, number: str, day: dt.date, sku: int, units: int) -> None:  # type: ignore[no-untyped-def]
    moment = dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)
    posting = blank(Posting, scheme="FBO", posting_number=number, status="delivered", created_at=moment,
                    products=(PostingProduct(sku=sku, offer_id=f"A-{sku}", name="", quantity=units, price=150_000),))
    async with deps.uow() as uow:
        await uow.facts.upsert_postings(shop_id, [posting])
        await uow.commit()


async def sold_month(deps, shop_id: uuid.UUID, first: dt.date, last: dt.date, seed: int) -> None:  # type: ignore[no-untyped-def]
    """A month through the sync's rollup writer in which a SKU sells about four times what comes back."""
    rollup = month_rollup(first, last, seed)
    rollup = msgspec.structs.replace(rollup, quantity=np.where(rollup.article == RETURNS, rollup.quantity // 4,
                                                               rollup.quantity))
    async with deps.uow() as uow:
        days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
        await uow.facts.write_daily_rollups(shop_id, days, rollup)
        await uow.facts.rebuild_monthly(shop_id, [first])
        await uow.commit()


async def test_the_estimate_by_order_date_is_kept_until_what_it_reads_changes(app, client, mailbox, pg_url):
    entity = LegalEntity(id=uuid.uuid4(), account_id=uuid.uuid4(), kind=EntityKind.IP, name="ИП Оценка",
                         inn="500100732259")
    seller = await seller_with_two_months(app, client, mailbox, pg_url, "estimate@example.ru", "Оценка", "8003",
                                          entity)
    deps, actor, shop_id = seller.deps, seller.actor, seller.shop_id
    for month, (first_day, last_day) in enumerate(MONTHS):
        await sold_month(deps, shop_id, first_day, last_day, seed=month)
    for n, (day, sku) in enumerate([(dt.date(2026, 1, 10), 501), (dt.date(2026, 1, 20), 501),
                                    (dt.date(2026, 2, 3), 502)]):  # A-501's cost changes on 15 January
        await write_orders(deps, shop_id, f"1-{n}", day, sku, 2)
    ESTIMATES.clear()
    first = await estimated(deps, actor, kept=False)
    assert None not in first[0].row("clock:orders").values and all(first[0].row("clock:est_cogs").values)
    assert await estimated(deps, actor, kept=True) == first  # only the finished tables emptied

    # what only the table reads: another allocation rule is another table with the same estimate
    units = ReportRequest(month_from="2026-01", month_to="2026-02", allocation=AllocationRule.UNITS)
    by_units = await estimated(deps, actor, kept=True, req=units)
    assert by_units[1] != first[1]
    assert [r for r in by_units[0].rows if r.code.startswith("clock:")] == \
        [r for r in first[0].rows if r.code.startswith("clock:")]
    # the tax settings: the estimate's key covers them too (the period's whole fingerprint), its base is the same
    await sql(pg_url, "UPDATE legal_entities SET tax_rate_percent = '1' WHERE id = $1", entity.id)
    taxed = await estimated(deps, actor, kept=False)
    assert taxed[0].row("tax").total != first[0].row("tax").total
    assert taxed[0].row("clock:profit_estimated") != first[0].row("clock:profit_estimated")  # its tax
    assert taxed[0].row("clock:revenue_estimated") == first[0].row("clock:revenue_estimated")

    # what the estimate reads: an order through the sync's writer
    await write_orders(deps, shop_id, "1-9", dt.date(2026, 2, 14), 503, 1)
    ordered = await estimated(deps, actor, kept=False)
    assert ordered[0].row("clock:orders").values[1] == taxed[0].row("clock:orders").values[1] + 150_000
    # a cost price
    async with deps.uow() as uow:
        await uow.cost_prices.upsert(actor.account_id, [
            CostPrice(offer_id="A-503", effective_from=dt.date(2025, 1, 1), purchase=30_000)])
        await uow.commit()
    costed = await estimated(deps, actor, kept=False)
    assert costed[0].row("clock:est_cogs").values[1] != ordered[0].row("clock:est_cogs").values[1]
    # the catalogue (raw SQL: the triggers' stamp): SKU 502 becomes the offer A-503, costed otherwise
    await sql(pg_url, "UPDATE ozon_products SET offer_id = 'A-503' WHERE shop_id = $1 AND sku = 502", shop_id)
    moved = await estimated(deps, actor, kept=False)
    assert moved[0].row("clock:est_cogs").values[1] != costed[0].row("clock:est_cogs").values[1]
    # a re-synced month of the period: February's estimate prices by January's accruals
    await sold_month(deps, shop_id, *MONTHS[0], seed=42)
    resynced = await estimated(deps, actor, kept=False)
    assert resynced[0].row("clock:revenue_estimated").values[1] != moved[0].row("clock:revenue_estimated").values[1]
    # a month before the period (December): January's estimate prices by it
    await sold_month(deps, shop_id, dt.date(2025, 12, 1), dt.date(2025, 12, 31), seed=7)
    history = await estimated(deps, actor, kept=False)
    assert history[0].row("clock:revenue_estimated").values[0] != resynced[0].row("clock:revenue_estimated").values[0]
    assert await estimated(deps, actor, kept=True) == history
