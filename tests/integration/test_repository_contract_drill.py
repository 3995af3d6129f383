"""The drill-down's reads (issue 18.4) on the in-memory fakes and on PostgreSQL: the user's filters by SKU and
type (0: without one), sums per (type, SKU), every line in chunks, and Ozon's accrual type names."""

from __future__ import annotations

import asyncio
import datetime as dt

from msgspec.structs import replace

from stpulse.adapters.db.uow import Database
from stpulse.application.ozon.records import AccrualType
from stpulse.application.reports.ports import LineFilter, LineSum
from tests.integration.test_repository_contract_facts import (
    LOGISTICS,
    MAR,
    RECORDS,
    UNKNOWN,
    _seller,
    _write,
)
from tests.services import truncate_all

LAST = dt.date(2026, 4, 30)
SERVICE_ALL = LineFilter(component="service", other_than=())  # every service line


async def test_drill_filters_groups_and_chunks(uow_factory):  # type: ignore[no-untyped-def]
    _, shop = await _seller(uow_factory)
    async with uow_factory() as uow:
        await _write(uow, shop.id, dt.date(2026, 3, 30), dt.date(2026, 4, 2), RECORDS)
        await uow.commit()
    async with uow_factory() as uow:
        data = uow.report_data

        async def ids(where: LineFilter) -> list[tuple[int, int]]:
            found, total = await data.lines([shop.id], MAR, LAST, where, 0, 100)
            assert total == len(found)
            return [(x.accrual_id, x.line_no) for x in found]

        assert await ids(LineFilter(component="sale", sign=1, sku=111)) == [(1, 0), (4, 0)]
        assert await ids(replace(SERVICE_ALL, sku=0)) == [(6, 0), (5, 0)]
        assert await ids(replace(SERVICE_ALL, type_id=0)) == [(6, 0)]
        assert await ids(replace(SERVICE_ALL, type_id=UNKNOWN)) == [(5, 0)]
        assert await ids(replace(SERVICE_ALL, posting="nope")) == []
        sums = await data.line_sums([shop.id], MAR, LAST, SERVICE_ALL)
        assert sorted(sums, key=lambda x: (x.type_id or 0, x.sku or 0)) == [
            LineSum(type_id=None, sku=None, lines=1, quantity=0, amount=-900),
            LineSum(type_id=LOGISTICS, sku=111, lines=3, quantity=0, amount=-2_100),
            LineSum(type_id=LOGISTICS, sku=222, lines=1, quantity=0, amount=-700),
            LineSum(type_id=UNKNOWN, sku=None, lines=1, quantity=0, amount=-1_500)]
        sales = await data.line_sums([shop.id], MAR, LAST, LineFilter(component="sale", sign=1))
        assert sorted(sales, key=lambda x: x.sku or 0) == [
            LineSum(type_id=None, sku=111, lines=2, quantity=3, amount=170_000),
            LineSum(type_id=None, sku=222, lines=1, quantity=1, amount=50_000)]
        chunks = [[(x.accrual_id, x.line_no) for x in c]
                  async for c in data.line_chunks([shop.id], MAR, LAST, SERVICE_ALL, 4)]
        assert chunks == [[(1, 2), (6, 0), (2, 2), (3, 2)], [(4, 2), (5, 0)]]


DAY = dt.date(2026, 11, 30)


def _type(type_id: int, description: str) -> AccrualType:
    return AccrualType(id=type_id, name=f"Type{type_id}", description=description)


async def test_accrual_type_names_are_stored_and_renamed(uow_factory):  # type: ignore[no-untyped-def]
    """The sync stores Ozon's names; the drill-down reads the Russian description (Ozon's `name` is a Latin code)."""
    async with uow_factory() as uow:
        assert await uow.ledger.type_names() == {}
        await uow.facts.save_accrual_types([_type(32, "Логистика"), _type(17, "Drop-off")], DAY)
        await uow.commit()
    async with uow_factory() as uow:
        await uow.facts.save_accrual_types([_type(17, "Обработка отправления Drop-off партнёрами")], DAY)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.ledger.type_names() == {32: "Логистика", 17: "Обработка отправления Drop-off партнёрами"}


async def test_two_syncs_save_the_same_new_type_names_at_once(pg_url):  # type: ignore[no-untyped-def]
    """Syncs of different shops run side by side (bench/scale.py found a duplicate key here): the names are one
    table for every shop, so the second writer of a type the first has not committed yet must not fail.
    PostgreSQL only: the in-memory fakes have no concurrent transactions."""
    await truncate_all(pg_url)
    db = Database(pg_url)
    uow_factory, written = db.uow, asyncio.Event()

    async def first() -> None:
        async with uow_factory() as uow:
            await uow.facts.save_accrual_types([_type(32, "Логистика"), _type(17, "Drop-off")], DAY)
            written.set()
            await asyncio.sleep(0.3)  # the other sync reads and writes before this one commits
            await uow.commit()

    async def second() -> None:
        await written.wait()
        async with uow_factory() as uow:
            await uow.facts.save_accrual_types([_type(17, "Обработка Drop-off"), _type(32, "Логистика"),
                                                 _type(5, "Новый тип")], DAY)
            await uow.commit()

    await asyncio.gather(first(), second())
    async with uow_factory() as uow:
        assert await uow.ledger.type_names() == {32: "Логистика", 17: "Обработка Drop-off", 5: "Новый тип"}
    await db.dispose()


async def test_products_are_searched_by_offer_id_name_and_sku_in_any_case(uow_factory):  # type: ignore[no-untyped-def]
    from stpulse.application.ozon.records import Product, ProductInfo
    from tests.integration.contract_helpers import blank

    _, shop = await _seller(uow_factory)
    products = [blank(Product, product_id=p, offer_id=o) for p, o in ((1, "Mug-01"), (2, "tee_xl"))]
    infos = [blank(ProductInfo, product_id=1, offer_id="Mug-01", sku=987654, name="Кружка БЕЛАЯ"),
             blank(ProductInfo, product_id=2, offer_id="tee_xl", sku=111222, name="Футболка")]
    async with uow_factory() as uow:
        await uow.facts.upsert_products(shop.id, products, infos)
        await uow.commit()
    async with uow_factory() as uow:
        async def offers(query: str, shops=(shop.id,)) -> list[str]:  # type: ignore[no-untyped-def]
            return [c.offer_id for c in await uow.shops.search_products(list(shops), query, 10)]

        assert await offers("mug") == await offers("КРУЖКА") == await offers("белая") == ["Mug-01"]
        assert await offers("8765") == ["Mug-01"] and await offers("_") == ["tee_xl"]  # LIKE wildcards escaped
        assert await offers("") == ["Mug-01", "tee_xl"] and await offers("mug", ()) == []
