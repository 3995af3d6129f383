"""The version stamps of the catalogue, the cost book and the plan (migration 0019a) are kept by PostgreSQL's own
triggers: every kind of write — the product's own write paths and raw SQL INSERT / UPDATE / DELETE / TRUNCATE —
changes the report fingerprint of the shop or account written, a write of another shop or account does not, and the
per-process copies read under the new stamp equal the rows loaded afresh. Also: the migration goes down and up."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg
import pytest
from alembic import command

from stpulse.adapters.db.migrate import alembic_config, upgrade
from stpulse.adapters.db.reports import content_cache
from stpulse.adapters.db.uow import Database
from stpulse.application.ozon.records import Product, ProductInfo
from stpulse.application.ozon.stock_records import AnalyticsStockRow, SupplyItem
from stpulse.application.planning.ports import PlanTargetRecord
from stpulse.domain.costs.cogs import CostPrice
from stpulse.domain.planning.params import SkuParams
from stpulse.domain.planning.supply import SupplyParams
from tests.integration.contract_helpers import add_account, add_shop, blank
from tests.integration.test_repository_contract_facts import APR, MAR, RECORDS, _write
from tests.services import in_thread, truncate_all

PERIOD = (MAR, dt.date(2026, 4, 30))
Write = Callable[[Any], Awaitable[object]]


class Seller:
    def __init__(self, account: Any, shop: Any) -> None:
        self.account, self.shop = account, shop


@pytest.fixture
async def two(pg_url: str) -> Any:
    """Two sellers, each with a shop of two rolled-up months, a catalogue and a cost book."""
    await truncate_all(pg_url)
    db = Database(pg_url)
    sellers = []
    for n in (1, 2):
        async with db.uow() as uow:
            _, account = await add_account(uow, f"versions{n}@example.ru")
            shop = await add_shop(uow, account, f"900{n}")
            await uow.commit()
        async with db.uow() as uow:
            await _write(uow, shop.id, dt.date(2026, 3, 30), dt.date(2026, 4, 2), RECORDS)
            await uow.facts.upsert_products(shop.id, [product(1), product(2)], [info(1, "Первый"), info(2, "Второй")])
            await uow.cost_prices.upsert(account.id, [CostPrice(offer_id="OF-1", effective_from=MAR, purchase=100),
                                                      CostPrice(offer_id="OF-2", effective_from=MAR, purchase=200)])
            await uow.commit()
        sellers.append(Seller(account, shop))
    yield db, sellers
    await db.dispose()


def product(n: int) -> Product:
    return blank(Product, product_id=n, offer_id=f"OF-{n}")


def info(n: int, name: str) -> ProductInfo:
    return blank(ProductInfo, product_id=n, offer_id=f"OF-{n}", sku=100 + n, name=name)


def plan(seller: Seller, units: int) -> PlanTargetRecord:
    return PlanTargetRecord(id=uuid.uuid4(), account_id=seller.account.id, shop_id=seller.shop.id, month=APR,
                            offer_id="OF-1", revenue=0, units=units, profit=0, ad_budget=0, drr_bp=0)


async def fingerprint(db: Database, seller: Seller) -> str:
    async with db.uow() as uow:
        await uow.report_data.snapshot()
        found = await uow.report_data.fingerprint(seller.account.id, [seller.shop.id], *PERIOD)
    assert found is not None
    return found  # type: ignore[no-any-return]


async def sql(url: str, statement: str, *args: object) -> None:
    conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        await conn.execute(statement, *args)
    finally:
        await conn.close()


async def loads_agree(db: Database, seller: Seller) -> None:
    """The cost book and the catalogue of this process (kept per stamp) equal the rows loaded afresh."""
    async def both() -> tuple[object, object]:
        async with db.uow() as uow:
            await uow.report_data.snapshot()
            await uow.report_data.fingerprint(seller.account.id, [seller.shop.id], *PERIOD)  # leaves the stamps
            kept = (await uow.cost_prices.book(seller.account.id), await uow.report_data.catalog([seller.shop.id]))
        async with db.uow() as uow:  # the loads' own stamp query (no fingerprint before them)
            assert (await uow.cost_prices.book(seller.account.id),
                    await uow.report_data.catalog([seller.shop.id])) == kept
        return kept

    kept = await both()
    content_cache.clear()
    assert await both() == kept


def product_writes(mine: Seller) -> list[tuple[str, Write]]:
    """Each kind of write through the product's own write paths (repository methods the cost upload, the cost
    form and the sync call)."""
    account, shop = mine.account.id, mine.shop.id
    return [
        ("cost upload / form: a new price", lambda uow: uow.cost_prices.upsert(account, [
            CostPrice(offer_id="OF-1", effective_from=APR, purchase=150)])),
        ("cost upload / form: a changed price", lambda uow: uow.cost_prices.upsert(account, [
            CostPrice(offer_id="OF-1", effective_from=APR, purchase=160)])),
        ("cost form: a price deleted", lambda uow: uow.cost_prices.delete(account, "OF-1", APR)),
        ("sync: a new product", lambda uow: uow.facts.upsert_products(shop, [product(3)], [info(3, "Третий")])),
        ("sync: a renamed product", lambda uow: uow.facts.upsert_products(shop, [product(3)], [info(3, "Новое")])),
        ("plan: a new target", lambda uow: uow.plan_targets.upsert([plan(mine, 5)])),
        ("plan: a changed target", lambda uow: uow.plan_targets.upsert([plan(mine, 6)])),
    ]


def raw_writes(mine: Seller) -> list[tuple[str, str, tuple[object, ...]]]:
    account, shop = mine.account.id, mine.shop.id
    return [
        ("INSERT cost_prices", "INSERT INTO cost_prices (id, account_id, offer_id, effective_from, purchase, delivery, "
         "packaging, marking, created_at, updated_at) VALUES ($1, $2, 'OF-2', '2026-04-01', 7, 0, 0, 0, now(), now())",
         (uuid.uuid4(), account)),
        ("UPDATE cost_prices", "UPDATE cost_prices SET purchase = purchase + 1 WHERE account_id = $1", (account,)),
        ("DELETE cost_prices", "DELETE FROM cost_prices WHERE account_id = $1 AND offer_id = 'OF-2'", (account,)),
        ("INSERT ozon_products", "INSERT INTO ozon_products (shop_id, product_id, offer_id, sku, name, barcodes, "
         "price, archived, raw) VALUES ($1, 4, 'OF-4', 104, 'Четвёртый', '', 0, false, '')", (shop,)),
        ("UPDATE ozon_products", "UPDATE ozon_products SET sku = sku + 1000 WHERE shop_id = $1 AND product_id = 4",
         (shop,)),
        ("DELETE ozon_products", "DELETE FROM ozon_products WHERE shop_id = $1 AND product_id = 4", (shop,)),
        ("UPDATE plan_targets", "UPDATE plan_targets SET units = units + 1 WHERE account_id = $1", (account,)),
        ("DELETE plan_targets", "DELETE FROM plan_targets WHERE account_id = $1", (account,)),
    ]


async def test_every_write_changes_its_own_fingerprint_only(two, pg_url):  # type: ignore[no-untyped-def]
    db, (first, second) = two
    seen = {first.shop.id: [await fingerprint(db, first)], second.shop.id: [await fingerprint(db, second)]}

    async def changed(label: str, mine: Seller, other: Seller) -> None:
        now, theirs = await fingerprint(db, mine), await fingerprint(db, other)
        assert now not in seen[mine.shop.id], label  # never a stamp seen before for this seller
        assert theirs == seen[other.shop.id][-1], label  # the other seller's fingerprint stays
        seen[mine.shop.id].append(now)
        await loads_agree(db, mine)

    for mine, other in ((first, second), (second, first)):
        for label, write in product_writes(mine):
            async with db.uow() as uow:
                await write(uow)
                await uow.commit()
            await changed(label, mine, other)
        for label, statement, args in raw_writes(mine):
            await sql(pg_url, statement, *args)
            await changed(label, mine, other)


async def test_an_unchanged_rewrite_keeps_the_fingerprint_and_truncate_changes_it(two, pg_url):  # type: ignore[no-untyped-def]
    """The sync rewrites the whole catalogue each time: rows left as they were keep the stamp (the cached reports stay
    valid); a write of columns no report reads neither. TRUNCATE changes every key of the table."""
    db, (first, second) = two
    before = await fingerprint(db, first)
    async with db.uow() as uow:
        await uow.facts.upsert_products(first.shop.id, [product(1), product(2)],
                                        [info(1, "Первый"), info(2, "Второй")])
        await uow.cost_prices.upsert(first.account.id, [CostPrice(offer_id="OF-1", effective_from=MAR, purchase=100)])
        await uow.commit()
    await sql(pg_url, "UPDATE ozon_products SET price = price + 1 WHERE shop_id = $1", first.shop.id)
    await sql(pg_url, "UPDATE cost_prices SET updated_at = now() WHERE account_id = $1", first.account.id)
    assert await fingerprint(db, first) == before
    for table in ("ozon_products", "cost_prices"):
        prints = [await fingerprint(db, s) for s in (first, second)]
        await sql(pg_url, f"TRUNCATE {table}")
        assert [await fingerprint(db, s) for s in (first, second)] != prints
        for seller, was in zip((first, second), prints, strict=True):
            assert await fingerprint(db, seller) != was, table
            await loads_agree(db, seller)


async def test_the_migration_goes_down_and_up_and_stamps_the_rows_it_finds(two, pg_url):  # type: ignore[no-untyped-def]
    db, sellers = two
    before = [await fingerprint(db, s) for s in sellers]
    triggers = "SELECT count(*) FROM pg_trigger WHERE tgname LIKE '%\\_version\\_%'"
    in_thread(command.downgrade, alembic_config(pg_url), "0018a")
    assert await rows(pg_url, "SELECT to_regclass('content_versions')") == [(None,)]
    assert await rows(pg_url, triggers) == [(0,)]
    assert await rows(pg_url, "SELECT count(*) FROM pg_proc WHERE proname LIKE 'content_version%'") == [(0,)]
    in_thread(upgrade, pg_url)
    assert await rows(pg_url, triggers) == [(40,)]  # 0019a's 12, 0019b's 12 (stock), 0020a's 16 (settlement)
    stamped = await rows(pg_url, "SELECT scope, key FROM content_versions")
    assert sorted(stamped) == sorted([("catalog", s.shop.id) for s in sellers]
                                     + [("cost_book", s.account.id) for s in sellers])
    after = [await fingerprint(db, s) for s in sellers]
    assert after[0] != before[0] and after[1] != before[1]  # new stamps, never the ones of before
    await loads_agree(db, sellers[0])


async def rows(url: str, statement: str) -> list[tuple[Any, ...]]:
    conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        return [tuple(r) for r in await conn.fetch(statement)]
    finally:
        await conn.close()


async def test_two_writers_of_one_cost_book_wait_for_each_other_without_a_deadlock(two, pg_url):  # type: ignore[no-untyped-def]
    """The usual order: a cost upload (several statements) is under way when the cost form deletes a price the
    upload changes next. The form's writer waits for the stamp row before it touches the price (`claim`), so the
    upload goes on and both end; without it the form would hold the price while waiting for the stamp row the upload
    holds, and the upload would wait for the price: a deadlock."""
    db, (seller, _) = two
    account, later = seller.account.id, CostPrice(offer_id="OF-2", effective_from=MAR, purchase=250)
    async with db.uow() as upload:
        await upload.cost_prices.upsert(account, [CostPrice(offer_id="OF-1", effective_from=MAR, purchase=110)])

        async def form() -> None:
            async with db.uow() as uow:
                await uow.cost_prices.delete(account, "OF-2", MAR)
                await uow.commit()

        deleting = asyncio.create_task(form())
        await waiting_for_a_lock(pg_url)  # the form's writer is at the stamp row
        assert not deleting.done()
        await upload.cost_prices.upsert(account, [later])
        await upload.commit()
    await asyncio.wait_for(deleting, 10)
    async with db.uow() as uow:
        assert {(e.offer_id, e.purchase) for e in (await uow.cost_prices.book(account)).entries} == {("OF-1", 110)}


async def waiting_for_a_lock(url: str) -> None:
    waiting = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
    for _ in range(500):
        if (await rows(url, waiting))[0][0]:
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the second writer never waited")


async def stock_stamp(db: Database, seller: Seller) -> str:
    async with db.uow() as uow:
        await uow.report_data.snapshot()
        return await uow.report_data.stock_stamp(seller.account.id, [seller.shop.id])  # type: ignore[no-any-return]


def stock_writes(mine: Seller) -> list[tuple[str, Write | tuple[str, tuple[object, ...]]]]:
    """What «Товарные остатки» and «Планирование поставок» read beyond the money, written by the sync, the
    parameters form and raw SQL (migration 0019b)."""
    account, shop = mine.account.id, mine.shop.id
    row = blank(AnalyticsStockRow, sku=101, warehouse_id=7, cluster_name="Москва", warehouse_name="Склад", available=5)
    item = blank(SupplyItem, supply_id=1, sku=101, warehouse_id=7, cluster_name="Москва", quantity=3)
    return [
        ("sync: the day's stock", lambda uow: uow.facts.replace_stocks(shop, dt.date(2026, 4, 30), [row])),
        ("sync: supplies in transit", lambda uow: uow.facts.replace_supply_items(shop, [item])),
        ("form: supply parameters", lambda uow: uow.supply_params.replace(account, [
            SkuParams(offer_id="OF-1", params=SupplyParams(lead_days=9, cover_days=30, safety_days=3, box=1,
                                                            min_order=0))])),
        ("UPDATE ozon_stock_snapshots", ("UPDATE ozon_stock_snapshots SET available = available + 1 "
                                         "WHERE shop_id = $1", (shop,))),
        ("UPDATE ozon_supply_items", ("UPDATE ozon_supply_items SET quantity = 4 WHERE shop_id = $1", (shop,))),
        ("UPDATE supply_params", ("UPDATE supply_params SET box = 6 WHERE account_id = $1", (account,))),
        ("DELETE ozon_stock_snapshots", ("DELETE FROM ozon_stock_snapshots WHERE shop_id = $1", (shop,))),
        ("DELETE ozon_supply_items", ("DELETE FROM ozon_supply_items WHERE shop_id = $1", (shop,))),
    ]


async def test_every_stock_write_changes_its_own_stock_stamp_only(two, pg_url):  # type: ignore[no-untyped-def]
    db, (first, second) = two
    seen = {first.shop.id: [await stock_stamp(db, first)], second.shop.id: [await stock_stamp(db, second)]}
    for mine, other in ((first, second), (second, first)):
        for label, write in stock_writes(mine):
            if isinstance(write, tuple):
                await sql(pg_url, write[0], *write[1])
            else:
                async with db.uow() as uow:
                    await write(uow)
                    await uow.commit()
            now, theirs = await stock_stamp(db, mine), await stock_stamp(db, other)
            assert now not in seen[mine.shop.id], label
            assert theirs == seen[other.shop.id][-1], label
            seen[mine.shop.id].append(now)
