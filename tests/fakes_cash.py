"""In-memory ДДС repositories: the cash context's `CashRepository` and `OzonMoneyReader` over the fake store
(the contract suite runs them beside PostgreSQL's)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence

from stpulse.application.cash.ports import MonthMoves, OzonMoneyMonth
from stpulse.domain.cash.book import CashCategory, CashEntry, MoneyAccount
from stpulse.domain.ledger.articles import accrual_indices
from tests.fakes import Store


class _S:
    def __init__(self, store: Store) -> None:
        self.t = store.facts


class FakeCash(_S):
    async def accounts(self, account_id: uuid.UUID) -> list[MoneyAccount]:
        own = [a for a in self.t.cash_accounts.values() if a.account_id == account_id]
        return sorted(own, key=lambda a: (a.kind, a.name))

    async def save_account(self, account: MoneyAccount) -> None:
        found = self.t.cash_accounts.get(account.id)
        if found is not None and found.account_id != account.account_id:
            return
        self.t.cash_accounts[account.id] = account
        if account.receives_payouts:
            for key, other in list(self.t.cash_accounts.items()):
                if other.account_id == account.account_id and key != account.id and other.receives_payouts:
                    self.t.cash_accounts[key] = MoneyAccount(**{**_fields(other), "receives_payouts": False})

    async def delete_account(self, account_id: uuid.UUID, money_account_id: uuid.UUID) -> bool:
        return _drop(self.t.cash_accounts, account_id, money_account_id)

    async def categories(self, account_id: uuid.UUID) -> list[CashCategory]:
        own = [c for c in self.t.cash_categories.values() if c.account_id == account_id]
        return sorted(own, key=lambda c: (c.activity, c.flow, c.name))

    async def save_category(self, category: CashCategory) -> None:
        found = self.t.cash_categories.get(category.id)
        if found is None or found.account_id == category.account_id:
            self.t.cash_categories[category.id] = category

    async def delete_category(self, account_id: uuid.UUID, category_id: uuid.UUID) -> bool:
        return _drop(self.t.cash_categories, account_id, category_id)

    async def used(self, account_id: uuid.UUID, *, category_id: uuid.UUID | None = None,
                   money_account_id: uuid.UUID | None = None) -> int:
        return sum(1 for e in self.t.cash_entries.values() if e.account_id == account_id
                   and category_id in (None, e.category_id) and money_account_id in (None, e.money_account_id))

    async def entries(self, account_id: uuid.UUID, first: dt.date, last: dt.date, offset: int,
                      limit: int) -> tuple[list[CashEntry], int]:
        own = sorted((e for e in self.t.cash_entries.values() if e.account_id == account_id and first <= e.date <= last),
                     key=lambda e: (e.date, e.id), reverse=True)
        return own[offset:offset + limit], len(own)

    async def all_entries(self, account_id: uuid.UUID) -> list[CashEntry]:
        return sorted((e for e in self.t.cash_entries.values() if e.account_id == account_id),
                      key=lambda e: (e.date, e.id))

    async def entry_ids(self, account_id: uuid.UUID, ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
        return {i for i in ids if i in self.t.cash_entries and self.t.cash_entries[i].account_id == account_id}

    async def save_entries(self, entries: Sequence[CashEntry]) -> None:
        for e in entries:
            found = self.t.cash_entries.get(e.id)
            if found is None or found.account_id == e.account_id:
                self.t.cash_entries[e.id] = e

    async def delete_entry(self, account_id: uuid.UUID, entry_id: uuid.UUID) -> bool:
        return _drop(self.t.cash_entries, account_id, entry_id)

    async def month_moves(self, account_id: uuid.UUID, last: dt.date) -> list[MonthMoves]:
        sums: dict[tuple[uuid.UUID, uuid.UUID, dt.date], int] = {}
        for e in self.t.cash_entries.values():
            if e.account_id == account_id and e.date <= last:
                key = (e.money_account_id, e.category_id, e.date.replace(day=1))
                sums[key] = sums.get(key, 0) + e.amount
        return [MonthMoves(money_account_id=a, category_id=c, month=m, amount=v) for (a, c, m), v in sums.items()]

    async def digest(self, account_id: uuid.UUID) -> str:
        return ""


class FakeOzonMoney(_S):
    """Accrued per shop and month from the fake monthly rollups; no payouts, no Ozon balance (as the ledger's)."""

    async def ozon_months(self, shop_ids: Sequence[uuid.UUID], last: dt.date) -> list[OzonMoneyMonth]:
        accrual = {int(a) for a in accrual_indices()}
        sums: dict[tuple[uuid.UUID, dt.date], int] = {}
        for (shop, month, _sku, article), (amount, _qty) in self.t.monthly.items():
            if shop in shop_ids and month <= last and article in accrual:
                sums[(shop, month)] = sums.get((shop, month), 0) + amount
        return [OzonMoneyMonth(shop_id=s, month=m, accrued=v, paid_out=0) for (s, m), v in sorted(sums.items())]

    async def payouts_known(self, shop_ids: Sequence[uuid.UUID]) -> bool:
        return False

    async def ozon_balances(self, shop_ids: Sequence[uuid.UUID], first: dt.date,
                            last: dt.date) -> Mapping[tuple[uuid.UUID, dt.date], int]:
        return {}

    async def ozon_openings(self, shop_ids: Sequence[uuid.UUID]) -> Mapping[uuid.UUID, int]:
        return {}

    async def digest(self, shop_ids: Sequence[uuid.UUID], last: dt.date) -> str:
        return ""


def _fields(obj: MoneyAccount) -> dict:
    return {f: getattr(obj, f) for f in obj.__struct_fields__}


def _drop(table: dict, account_id: uuid.UUID, key: uuid.UUID) -> bool:
    found = table.get(key)
    if found is None or found.account_id != account_id:
        return False
    del table[key]
    return True
