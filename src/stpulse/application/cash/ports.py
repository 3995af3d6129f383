"""Ports of the cash context (ДДС): money accounts, categories and entries, and Ozon's money per shop and month."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from typing import Protocol

import msgspec

from stpulse.domain.cash.book import CashCategory, CashEntry, MoneyAccount


class MonthMoves(msgspec.Struct, frozen=True, kw_only=True, array_like=True):
    """The user's entries of one money account and category in a month, summed."""

    money_account_id: uuid.UUID
    category_id: uuid.UUID
    month: dt.date  # the month's first day
    amount: int


class OzonMoneyMonth(msgspec.Struct, frozen=True, kw_only=True, array_like=True):
    """A shop's Ozon balance in a month: what Ozon accrued (signed, net) and what it paid out to the seller."""

    shop_id: uuid.UUID
    month: dt.date
    accrued: int
    paid_out: int


class CashRepository(Protocol):
    """Every query is limited to one account (`account_id`): another account's rows are never found."""

    async def accounts(self, account_id: uuid.UUID) -> list[MoneyAccount]: ...
    async def save_account(self, account: MoneyAccount) -> None: ...
    async def delete_account(self, account_id: uuid.UUID, money_account_id: uuid.UUID) -> bool: ...
    async def categories(self, account_id: uuid.UUID) -> list[CashCategory]: ...
    async def save_category(self, category: CashCategory) -> None: ...
    async def delete_category(self, account_id: uuid.UUID, category_id: uuid.UUID) -> bool: ...
    async def used(self, account_id: uuid.UUID, *, category_id: uuid.UUID | None = None,
                   money_account_id: uuid.UUID | None = None) -> int:
        """How many entries use the category (or the money account)."""
        ...

    async def entries(self, account_id: uuid.UUID, first: dt.date, last: dt.date, offset: int,
                      limit: int) -> tuple[list[CashEntry], int]:
        """A page of the entries dated first..last (newest first) and how many there are."""
        ...

    async def all_entries(self, account_id: uuid.UUID) -> list[CashEntry]: ...
    async def entry_ids(self, account_id: uuid.UUID, ids: Sequence[uuid.UUID]) -> set[uuid.UUID]: ...
    async def save_entries(self, entries: Sequence[CashEntry]) -> None:
        """Insert, or update the entries of the same id (of the same account)."""
        ...

    async def delete_entry(self, account_id: uuid.UUID, entry_id: uuid.UUID) -> bool: ...
    async def month_moves(self, account_id: uuid.UUID, last: dt.date) -> list[MonthMoves]:
        """Every entry dated on or before `last`, summed by money account, category and month."""
        ...

    async def digest(self, account_id: uuid.UUID) -> str:
        """Changes whenever an account, a category or an entry of the account changes (the report cache key)."""
        ...


class OzonMoneyReader(Protocol):
    """Ozon's side of the ДДС: the accruals from the ledger, the payouts and Ozon's own balance from
    `/v1/finance/balance` as the sync imports it day by day (application/ozon/settlement_sync.py)."""

    async def ozon_months(self, shop_ids: Sequence[uuid.UUID], last: dt.date) -> list[OzonMoneyMonth]:
        """Per shop and month, from the shop's first month through `last`."""
        ...

    async def payouts_known(self, shop_ids: Sequence[uuid.UUID]) -> bool:
        """Whether Ozon's balance (and so its payouts) is imported for any of the shops."""
        ...

    async def ozon_balances(self, shop_ids: Sequence[uuid.UUID], first: dt.date,
                            last: dt.date) -> Mapping[tuple[uuid.UUID, dt.date], int]:
        """(shop, month's first day) → Ozon's closing balance at that month's end, where Ozon reported it."""
        ...

    async def ozon_openings(self, shop_ids: Sequence[uuid.UUID]) -> Mapping[uuid.UUID, int]:
        """shop → Ozon's balance before the shop's first accrual in the ledger, where the import knows it (a seller
        whose Ozon history began before the first sync); shops left out start at 0."""
        ...

    async def digest(self, shop_ids: Sequence[uuid.UUID], last: dt.date) -> str:
        """Changes whenever anything `ozon_months`, `ozon_balances` or `ozon_openings` returns changes."""
        ...
