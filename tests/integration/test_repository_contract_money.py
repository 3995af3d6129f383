"""The contract of cost prices, own expenses, API tokens and the report reads of the account's settings: every
case runs on the in-memory fakes and on PostgreSQL (the `uow_factory` fixture), so the fakes stay honest."""

from __future__ import annotations

import datetime as dt

from stpulse.application.accounts.ports import ApiToken
from stpulse.application.costs.ports import OpexRecord
from stpulse.application.kernel.deps import new_id
from stpulse.domain.accounts.legal import EntityKind, LegalEntity
from stpulse.domain.costs.cogs import CostPrice
from tests.integration.contract_helpers import NOW, add_account, add_shop

JAN, FEB, MAR = dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 3, 1)


def _by_key(entries: tuple[CostPrice, ...]) -> list[CostPrice]:
    return sorted(entries, key=lambda e: (e.offer_id, e.effective_from))


async def test_cost_prices_upsert_on_offer_and_date_per_account(uow_factory):  # type: ignore[no-untyped-def]
    a1, a2 = CostPrice(offer_id="A", effective_from=JAN, purchase=100), CostPrice(offer_id="A", effective_from=MAR,
                                                                                  purchase=150, delivery=5)
    b1 = CostPrice(offer_id="B", effective_from=JAN, purchase=70, packaging=3, marking=1)
    async with uow_factory() as uow:
        _, one = await add_account(uow, "one@example.ru")
        _, two = await add_account(uow, "two@example.ru")
        await uow.cost_prices.upsert(one.id, [a1, a2, b1])
        await uow.cost_prices.upsert(two.id, [b1])
        await uow.commit()
    changed = CostPrice(offer_id="A", effective_from=MAR, purchase=160, delivery=0, packaging=2)
    async with uow_factory() as uow:
        assert _by_key((await uow.cost_prices.book(one.id)).entries) == [a1, a2, b1]
        await uow.cost_prices.upsert(one.id, [changed])
        await uow.cost_prices.delete(one.id, "B", JAN)
        await uow.cost_prices.delete(one.id, "Z", JAN)  # nothing there: nothing happens
        await uow.commit()
    async with uow_factory() as uow:
        assert _by_key((await uow.cost_prices.book(one.id)).entries) == [a1, changed]
        assert (await uow.cost_prices.book(two.id)).entries == (b1,)


async def test_own_expenses_by_month_and_article_per_account(uow_factory):  # type: ignore[no-untyped-def]
    async with uow_factory() as uow:
        _, one = await add_account(uow, "one@example.ru")
        _, two = await add_account(uow, "two@example.ru")
        shop = await add_shop(uow, one)
        records = [OpexRecord(id=new_id(), account_id=one.id, shop_id=shop.id if i % 2 else None, month=month,
                              article=article, amount=1000 * (i + 1))
                   for i, (month, article) in enumerate([(FEB, "Аренда"), (JAN, "Зарплата"), (FEB, "Бухгалтер"),
                                                         (MAR, "Аренда"), (JAN, "Аренда")])]
        for r in records:
            await uow.opex.add(r)
        await uow.opex.add(OpexRecord(id=new_id(), account_id=two.id, shop_id=None, month=FEB, article="Чужое",
                                      amount=1))
        await uow.commit()
    async with uow_factory() as uow:
        got = await uow.opex.between(one.id, JAN, FEB)
        assert [(r.month, r.article) for r in got] == [(JAN, "Аренда"), (JAN, "Зарплата"), (FEB, "Аренда"),
                                                       (FEB, "Бухгалтер")]
        assert list(await uow.report_data.opex(one.id, JAN, FEB)) == got
        assert await uow.opex.delete(two.id, records[0].id) is False  # another account's entry is not touched
        assert await uow.opex.delete(one.id, records[0].id) is True
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.opex.delete(one.id, records[0].id) is False
        assert records[0] not in await uow.opex.between(one.id, JAN, MAR)
        assert len(await uow.opex.between(one.id, JAN, MAR)) == 4


async def test_report_reads_of_legal_entities_and_any_shop(uow_factory):  # type: ignore[no-untyped-def]
    async with uow_factory() as uow:
        _, one = await add_account(uow, "one@example.ru")
        _, two = await add_account(uow, "two@example.ru")
        entity = LegalEntity(id=new_id(), account_id=one.id, kind=EntityKind.IP, name="ИП Один", inn="500100732259")
        await uow.legal_entities.add(entity)
        shop = await add_shop(uow, two, "2002")
        await uow.commit()
    async with uow_factory() as uow:
        assert list(await uow.report_data.legal_entities(one.id)) == [entity]
        assert list(await uow.report_data.legal_entities(two.id)) == []
        assert await uow.report_data.shop_anywhere(shop.id) == shop
        assert await uow.report_data.shop_anywhere(new_id()) is None


async def test_api_tokens_owner_listing_revoke_and_touch(uow_factory):  # type: ignore[no-untyped-def]
    async with uow_factory() as uow:
        user, account = await add_account(uow, "api@example.ru")
        membership = (await uow.memberships.for_user(user.id))[0]
        first = ApiToken(id=new_id(), account_id=account.id, user_id=user.id, name="первый", prefix="abc",
                         token_hash="1" * 64)
        await uow.api_tokens.add(first)
        await uow.commit()
    async with uow_factory() as uow:
        second = ApiToken(id=new_id(), account_id=account.id, user_id=user.id, name="второй", prefix="def",
                          token_hash="2" * 64)
        await uow.api_tokens.add(second)
        await uow.commit()
    async with uow_factory() as uow:
        owner = await uow.api_tokens.with_owner("1" * 64)
        assert owner is not None and (owner.user, owner.account, owner.membership) == (user, account, membership)
        assert owner.token.name == "первый" and owner.token.created_at is not None and owner.token.revoked_at is None
        assert await uow.api_tokens.with_owner("0" * 64) is None
        _, elsewhere = await add_account(uow, "api-elsewhere@example.ru")  # an account the user is no member of
        await uow.api_tokens.add(ApiToken(id=new_id(), account_id=elsewhere.id, user_id=user.id, name="чужой",
                                          prefix="ghi", token_hash="4" * 64))
        stray = await uow.api_tokens.with_owner("4" * 64)
        assert stray is not None and (stray.user, stray.account, stray.membership) == (user, elsewhere, None)
        assert [t.name for t in await uow.api_tokens.for_user(account.id, user.id)] == ["второй", "первый"]
        assert await uow.api_tokens.for_user(account.id, new_id()) == []
        assert await uow.api_tokens.revoke(account.id, new_id(), first.id, NOW) is False
        assert await uow.api_tokens.revoke(account.id, user.id, first.id, NOW) is True
        assert await uow.api_tokens.revoke(account.id, user.id, first.id, NOW) is False
        await uow.api_tokens.touch(second.id, NOW)
        await uow.commit()
    async with uow_factory() as uow:
        assert (await uow.api_tokens.by_hash("1" * 64)).revoked_at == NOW
        assert (await uow.api_tokens.by_hash("2" * 64)).last_used_at == NOW
        assert await uow.api_tokens.by_hash("3" * 64) is None
