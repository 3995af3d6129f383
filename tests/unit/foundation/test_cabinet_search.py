"""The cabinet's search box (issue 18.18): products by offer_id, name and Ozon SKU, the registry's reports and the
settings pages, in Cyrillic and Latin and any case, and only within the member's shop access."""

from __future__ import annotations

import uuid

import msgspec

from stpulse.application.accounts import search
from stpulse.domain.ledger.shops import Shop
from stpulse.entrypoints.web.accounts.navigation import cabinet_search
from tests.fakes_facts import StoredProduct
from tests.unit.foundation.helpers import actor_for

PROVIDERS = cabinet_search()


async def _seller(deps):  # type: ignore[no-untyped-def]
    owner = await actor_for(deps)
    shops = [Shop(id=uuid.uuid4(), account_id=owner.account_id, name=n, client_id=c)
             for n, c in (("Основной", "101"), ("Второй", "102"))]
    products = {(shops[0].id, 1): ("ART-MUG-01", 987654321, "Кружка керамическая Белая"),
                (shops[1].id, 2): ("TSHIRT-XL", 555000111, "Футболка хлопковая")}
    async with deps.uow() as uow:
        for shop in shops:
            await uow.shops.add(shop, b"key")
        await uow.commit()
    for (shop_id, pid), (offer, sku, name) in products.items():
        deps.uow.store.facts.products[(shop_id, pid)] = StoredProduct(
            product_id=pid, offer_id=offer, sku=sku, name=name, barcodes="", price=100, archived=False)
    return owner, shops


async def _found(deps, actor, query: str) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [(h.kind, h.title) for h in await search.search_cabinet(deps, actor, query, PROVIDERS)]


async def test_products_by_offer_id_name_and_sku_in_any_case(deps):  # type: ignore[no-untyped-def]
    owner, _ = await _seller(deps)
    mug = ("Товар", "ART-MUG-01 — Кружка керамическая Белая")
    assert await _found(deps, owner, "art-mug") == [mug]  # Latin, lower case
    assert await _found(deps, owner, "КРУЖКА") == [mug]  # Cyrillic, upper case
    assert await _found(deps, owner, "белая") == [mug]
    assert await _found(deps, owner, "87654") == [mug]  # part of the Ozon SKU
    hits = await search.search_cabinet(deps, owner, "кружка", PROVIDERS)
    assert hits[0].url == "/app/costs?q=ART-MUG-01" and "SKU 987654321" in hits[0].snippet
    assert "Основной" in hits[0].snippet


async def test_products_only_of_the_shops_a_member_sees(deps):  # type: ignore[no-untyped-def]
    owner, shops = await _seller(deps)
    restricted = msgspec.structs.replace(owner, membership=msgspec.structs.replace(
        owner.membership, shop_ids=frozenset({shops[0].id})))
    assert [t for k, t in await _found(deps, restricted, "хлопк") if k == "Товар"] == []  # not the second shop's
    assert await _found(deps, restricted, "футболка") == []
    assert await _found(deps, restricted, "второй") == []  # nor the shop itself
    assert await _found(deps, owner, "футболка") == [("Товар", "TSHIRT-XL — Футболка хлопковая")]


async def test_reports_and_settings_pages_by_title_or_other_words(deps):  # type: ignore[no-untyped-def]
    owner, _ = await _seller(deps)
    assert ("Отчёт", "ОПиУ") in await _found(deps, owner, "опиу")
    assert ("Отчёт", "ОПиУ") in await _found(deps, owner, "PNL")
    assert ("Отчёт", "Юнитка") in await _found(deps, owner, "ЮНИТ")
    assert ("Настройки", "API-токены") in await _found(deps, owner, "токен")
    assert ("Настройки", "API-токены") in await _found(deps, owner, "api")
    assert ("Настройки", "Юрлица") in await _found(deps, owner, "инн")
    assert ("Настройки", "Профиль") in await _found(deps, owner, "Password")
    assert ("Настройки", "Тариф и оплата") in await _found(deps, owner, "ТАРИФ")
    assert ("Раздел", "Себестоимость") in await _found(deps, owner, "себест")
