"""Requisites are checked as the tax service and the Bank of Russia define them; bad input writes nothing."""

from __future__ import annotations

import pytest

from stpulse.application.accounts import legal_entities as svc
from stpulse.domain.accounts.legal import inn_is_valid, ogrn_is_valid
from stpulse.domain.kernel.errors import NotFound, PermissionDenied, ValidationError
from tests.unit.foundation.helpers import actor_for, member_of

OOO = dict(kind="ooo", name="ООО «Ромашка»", inn="7707083893", kpp="773601001", ogrn="1027700132195",
           bik="044525225", settlement_account="40702810938000000001", correspondent_account="30101810400000000225",
           tax_regime="usn_income_expense", tax_rate_percent="15", vat_rate="0")


@pytest.mark.parametrize("inn,ok", [("7707083893", True), ("500100732259", True), ("7707083894", False),
                                    ("500100732258", False), ("12345", False), ("77070838ab", False)])
def test_inn_checksum(inn, ok):
    assert inn_is_valid(inn) is ok


@pytest.mark.parametrize("ogrn,ok", [("1027700132195", True), ("304500116000157", True), ("1027700132196", False)])
def test_ogrn_checksum(ogrn, ok):
    assert ogrn_is_valid(ogrn) is ok


async def test_valid_ooo_is_saved(deps):
    actor = await actor_for(deps)
    entity = await svc.add_legal_entity(deps, actor, svc.LegalEntityForm(**OOO))
    assert (await svc.list_legal_entities(deps, actor)) == [entity]


@pytest.mark.parametrize("field,value,message", [
    ("inn", "7707083894", "контрольное число"),
    ("inn", "500100732259", "10 цифр"),
    ("kpp", "77360100", "9 цифр"),
    ("ogrn", "1027700132196", "ОГРН"),
    ("bik", "04452522", "9 цифр"),
    ("settlement_account", "40702810938000000002", "не соответствует БИК"),
    ("correspondent_account", "30101810400000000226", "не соответствует БИК"),
    ("tax_rate_percent", "шесть", "число"),
    ("vat_rate", "18", "НДС"),
    ("name", "  ", "наименование"),
])
async def test_bad_requisites_give_russian_field_errors_and_write_nothing(deps, field, value, message):
    actor = await actor_for(deps)
    with pytest.raises(ValidationError) as info:
        await svc.add_legal_entity(deps, actor, svc.LegalEntityForm(**{**OOO, field: value}))
    assert message.lower() in info.value.fields[field].lower()
    assert await svc.list_legal_entities(deps, actor) == []


async def test_analyst_cannot_add(deps):
    analyst = await actor_for(deps, role="analyst")
    with pytest.raises(PermissionDenied):
        await svc.add_legal_entity(deps, analyst, svc.LegalEntityForm(**OOO))


async def _shop(deps, actor):
    import uuid

    from stpulse.domain.ledger.shops import Shop
    shop = Shop(id=uuid.uuid4(), account_id=actor.account_id, name="Мой магазин", client_id="1")
    async with deps.uow() as uow:
        await uow.shops.add(shop, b"k")
        await uow.commit()
    return shop


async def test_a_shop_is_linked_to_an_entity_of_its_account_and_listed_on_it(deps):
    actor = await actor_for(deps)
    entity = await svc.add_legal_entity(deps, actor, svc.LegalEntityForm(**OOO))
    shop = await _shop(deps, actor)
    assert (await svc.link_shop(deps, actor, shop.id, entity.id)).legal_entity_id == entity.id
    assert [s.name for s in await svc.linked_shops(deps, actor, entity.id)] == ["Мой магазин"]
    await svc.link_shop(deps, actor, shop.id, None)
    assert await svc.linked_shops(deps, actor, entity.id) == []


async def test_a_shop_cannot_take_another_accounts_entity_nor_be_linked_by_an_analyst(deps):
    actor, other = await actor_for(deps), await actor_for(deps, email="other@example.ru")
    foreign = await svc.add_legal_entity(deps, other, svc.LegalEntityForm(**OOO))
    shop = await _shop(deps, actor)
    with pytest.raises(ValidationError):
        await svc.link_shop(deps, actor, shop.id, foreign.id)
    with pytest.raises(NotFound):  # a member of another account: the shop does not exist for them
        await svc.link_shop(deps, await actor_for(deps, role="analyst", email="an@example.ru"), shop.id, None)
    with pytest.raises(PermissionDenied):  # an analyst of the shop's own account only reads
        await svc.link_shop(deps, await member_of(deps, actor, "analyst", "an2@example.ru"), shop.id, None)
