"""The contract of the ДДС's storage: every case runs on the in-memory fakes and on PostgreSQL (`uow_factory`), so
the fakes stay honest. Every read is one account's; another account's ids find nothing and change nothing."""

from __future__ import annotations

import datetime as dt

from stpulse.application.kernel.deps import new_id
from stpulse.domain.cash.book import AccountKind, Activity, CashCategory, CashEntry, Flow, MoneyAccount
from tests.integration.contract_helpers import add_account

JAN, FEB = dt.date(2026, 1, 1), dt.date(2026, 2, 1)


def _objects(account_id):  # type: ignore[no-untyped-def]
    bank = MoneyAccount(id=new_id(), account_id=account_id, name="Банк", kind=AccountKind.BANK, opening_date=JAN,
                        opening_balance=-500, receives_payouts=True)
    rent = CashCategory(id=new_id(), account_id=account_id, name="Аренда", activity=Activity.OPERATING,
                        flow=Flow.PAYMENT)
    entries = [CashEntry(id=new_id(), account_id=account_id, money_account_id=bank.id, category_id=rent.id, date=day,
                         amount=amount, comment=f"№{i}")
               for i, (day, amount) in enumerate(((JAN, 100), (dt.date(2026, 1, 31), 50), (FEB, 7)))]
    return bank, rent, entries


async def test_cash_accounts_categories_and_entries_stay_in_their_account(uow_factory):  # type: ignore[no-untyped-def]
    async with uow_factory() as uow:
        _, one = await add_account(uow, "one@example.ru")
        _, two = await add_account(uow, "two@example.ru")
        bank, rent, entries = _objects(one.id)
        other_bank, other_rent, other_entries = _objects(two.id)
        for b, r, e in ((bank, rent, entries), (other_bank, other_rent, other_entries)):
            await uow.cash.save_account(b)
            await uow.cash.save_category(r)
            await uow.cash.save_entries(e)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.cash.accounts(one.id) == [bank] and await uow.cash.categories(one.id) == [rent]
        page, count = await uow.cash.entries(one.id, JAN, dt.date(2026, 1, 31), 0, 1)
        assert count == 2 and page == [entries[1]]  # newest first, paged
        assert await uow.cash.all_entries(one.id) == entries
        moves = sorted((m.month, m.amount) for m in await uow.cash.month_moves(one.id, FEB))
        assert moves == [(JAN, 150), (FEB, 7)]
        assert [m.amount for m in await uow.cash.month_moves(one.id, dt.date(2026, 1, 31))] == [150]
        assert await uow.cash.used(one.id, category_id=rent.id) == 3
        assert await uow.cash.used(one.id, money_account_id=other_bank.id) == 0
        assert await uow.cash.entry_ids(one.id, [entries[0].id, other_entries[0].id]) == {entries[0].id}
        for delete, key in ((uow.cash.delete_entry, other_entries[0].id), (uow.cash.delete_account, other_bank.id),
                            (uow.cash.delete_category, other_rent.id)):
            assert not await delete(one.id, key)  # another account's id: not found
        changed = CashEntry(**{**{f: getattr(entries[0], f) for f in entries[0].__struct_fields__}, "amount": 120})
        await uow.cash.save_entries([changed])
        assert await uow.cash.delete_entry(one.id, entries[2].id)
        await uow.commit()
    async with uow_factory() as uow:
        assert [e.amount for e in await uow.cash.all_entries(one.id)] == [120, 50]
        assert len(await uow.cash.all_entries(two.id)) == 3 and await uow.cash.accounts(two.id) == [other_bank]
        second = MoneyAccount(id=new_id(), account_id=one.id, name="Второй", kind=AccountKind.BANK, opening_date=JAN,
                              opening_balance=0, receives_payouts=True)
        await uow.cash.save_account(second)  # one account receives the payouts
        await uow.commit()
    async with uow_factory() as uow:
        flags = {a.name: a.receives_payouts for a in await uow.cash.accounts(one.id)}
        assert flags == {"Банк": False, "Второй": True}
        assert (await uow.cash.accounts(two.id))[0].receives_payouts  # the other account's flag stays
        assert await uow.ozon_money.ozon_months([], FEB) == [] and not await uow.ozon_money.payouts_known([])
