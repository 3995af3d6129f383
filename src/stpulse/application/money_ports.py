"""Records and repository ports of the money settings: own expenses, API tokens, report data, the ledger."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Protocol

import msgspec
import numpy as np

from stpulse.domain.accounts import Account, Membership, User
from stpulse.domain.accruals import AccrualLine
from stpulse.domain.cogs import CostBook, CostPrice
from stpulse.domain.ledger import LedgerMapping
from stpulse.domain.legal import LegalEntity
from stpulse.domain.shops import Shop


class OpexRecord(msgspec.Struct, frozen=True, kw_only=True):
    id: uuid.UUID
    account_id: uuid.UUID
    shop_id: uuid.UUID | None  # None: the whole account (split over its shops by revenue)
    month: dt.date  # first day of the month
    article: str
    amount: int  # kopecks, positive = expense


class ApiToken(msgspec.Struct, frozen=True, kw_only=True):
    id: uuid.UUID
    account_id: uuid.UUID
    user_id: uuid.UUID
    name: str
    prefix: str  # the first characters of the secret, to recognise it in the list
    token_hash: str
    created_at: dt.datetime | None = None
    revoked_at: dt.datetime | None = None
    last_used_at: dt.datetime | None = None


class CatalogItem(msgspec.Struct, frozen=True, kw_only=True, gc=False):  # no cycles: not tracked by the GC
    shop_id: uuid.UUID
    sku: int
    offer_id: str
    name: str = ""


class UnmappedType(msgspec.Struct, frozen=True, kw_only=True):
    type_id: int | None
    lines: int
    amount: int


class LedgerRepository(Protocol):
    async def mapping(self) -> LedgerMapping: ...
    async def save(self, mapping: LedgerMapping, at: dt.datetime) -> None: ...
    async def unmapped(self, mapping: LedgerMapping) -> list[UnmappedType]: ...


class CostRepository(Protocol):
    async def book(self, account_id: uuid.UUID) -> CostBook: ...
    async def upsert(self, account_id: uuid.UUID, entries: Sequence[CostPrice]) -> None: ...
    async def delete(self, account_id: uuid.UUID, offer_id: str, effective_from: dt.date) -> None: ...


class OpexRepository(Protocol):
    async def add(self, record: OpexRecord) -> None: ...
    async def get(self, account_id: uuid.UUID, entry_id: uuid.UUID) -> OpexRecord | None: ...
    async def delete(self, account_id: uuid.UUID, entry_id: uuid.UUID) -> bool: ...
    async def between(self, account_id: uuid.UUID, first: dt.date, last: dt.date) -> list[OpexRecord]: ...


class TokenOwner(msgspec.Struct, frozen=True, kw_only=True):
    token: ApiToken
    user: User | None
    account: Account | None
    membership: Membership | None  # the user's membership in the token's account


class ApiTokenRepository(Protocol):
    async def add(self, token: ApiToken) -> None: ...
    async def with_owner(self, token_hash: str) -> TokenOwner | None: ...
    async def by_hash(self, token_hash: str) -> ApiToken | None: ...
    async def for_user(self, account_id: uuid.UUID, user_id: uuid.UUID) -> list[ApiToken]: ...
    async def revoke(self, account_id: uuid.UUID, user_id: uuid.UUID, token_id: uuid.UUID, at: dt.datetime) -> bool: ...
    async def touch(self, token_id: uuid.UUID, at: dt.datetime) -> None: ...


class ReportDataRepository(Protocol):
    async def snapshot(self) -> None:
        """Called first in a unit of work: every read after it sees one snapshot of the database."""
        ...

    async def fingerprint(self, account_id: uuid.UUID, shop_ids: Sequence[uuid.UUID], first: dt.date,
                          last: dt.date) -> str | None:
        """A short text that changes whenever anything a report of these shops and days reads changes (rollups,
        catalogue, cost prices, own expenses, tax settings, ledger mapping); None when it cannot be told cheaply."""
        ...

    async def monthly(self, shop_id: uuid.UUID, first: dt.date, last: dt.date, shape: str = "full",
                      sales: Sequence[int] = ()) -> np.ndarray:
        """int64 [n, 5]: (day number of the month's first day, sku, article, amount, quantity)."""
        ...

    async def shop_anywhere(self, shop_id: uuid.UUID) -> Shop | None: ...

    async def daily(self, shop_id: uuid.UUID, first: dt.date, last: dt.date, skus: Sequence[int],
                    articles: Sequence[int]) -> np.ndarray: ...
    async def catalog(self, shop_ids: Sequence[uuid.UUID]) -> list[CatalogItem]: ...
    async def opex(self, account_id: uuid.UUID, first: dt.date, last: dt.date) -> Sequence[OpexRecord]:
        """Own expenses of the months first..last (for a report: kept per fingerprint)."""
        ...

    async def legal_entities(self, account_id: uuid.UUID) -> Sequence[LegalEntity]: ...
    async def lines(self, shop_ids: Sequence[uuid.UUID], first: dt.date, last: dt.date, where: LineFilter,
                    offset: int, limit: int) -> tuple[list[AccrualLine], int]: ...


class LineFilter(msgspec.Struct, frozen=True, kw_only=True):
    """Which accrual lines make one P&L article (drill-down)."""

    component: str  # sale | commission | service
    sign: int = 0  # sale lines: +1 revenue, −1 returns
    type_ids: tuple[int, ...] = ()  # service lines of these types
    other_than: tuple[int, ...] | None = None  # service lines of any other type (and without a type)
