"""Ports of the ledger — the contract between the Ozon sync (writer) and the reports (readers): shops, their
catalogue, the mapping «Ozon accrual type → P&L article» and the queue of unmapped types."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Protocol

import msgspec

from stpulse.application.kernel.ports import AuditRepository, Transaction
from stpulse.domain.ledger.articles import LedgerMapping
from stpulse.domain.ledger.shops import Shop


class CatalogItem(msgspec.Struct, frozen=True, kw_only=True, gc=False):  # no cycles: not tracked by the GC
    shop_id: uuid.UUID
    sku: int
    offer_id: str
    name: str = ""


class UnmappedType(msgspec.Struct, frozen=True, kw_only=True):
    type_id: int | None
    lines: int
    amount: int
    name: str = ""  # Ozon's name and description of the type (/v1/finance/accrual/types), once the sync read them
    description: str = ""


class Remap(msgspec.Struct, frozen=True, kw_only=True):
    """An admin's mapping change of a type: the stored months holding its lines are recalculated by a job."""

    type_id: int
    article: str
    was_unmapped: bool  # the type was in the queue: it leaves it when the recalculation is done
    started_at: dt.datetime
    months_done: int = 0
    months_total: int = 0  # 0 until the job has counted the (shop, month) pairs to recalculate
    finished_at: dt.datetime | None = None

    @property
    def percent(self) -> int:
        if self.finished_at is not None:
            return 100
        return 100 * self.months_done // self.months_total if self.months_total else 0


class LedgerRepository(Protocol):
    async def mapping(self) -> LedgerMapping: ...
    async def save(self, mapping: LedgerMapping, at: dt.datetime) -> None: ...
    async def unmapped(self, mapping: LedgerMapping,
                       shop_ids: Sequence[uuid.UUID] | None = None) -> list[UnmappedType]:
        """The unmapped types of these shops' lines and queue (None: every shop — the platform's own queue)."""
    async def type_names(self) -> dict[int, str]:
        """Ozon's names of the accrual types (/v1/finance/accrual/types), as last stored by a sync."""
        ...

    async def remaps(self) -> list[Remap]:
        """Every type's latest remap, the newest first."""
        ...

    async def save_remap(self, remap: Remap) -> None:
        """Insert or replace the remap of its type."""
        ...


class ShopRepository(Protocol):
    async def add(self, shop: Shop, api_key_encrypted: bytes) -> None: ...
    async def get(self, account_id: uuid.UUID, shop_id: uuid.UUID) -> Shop | None: ...
    async def for_account(self, account_id: uuid.UUID) -> list[Shop]: ...
    async def search(self, account_id: uuid.UUID, query: str, limit: int) -> list[Shop]: ...
    async def search_products(self, shop_ids: Sequence[uuid.UUID], query: str, limit: int) -> list[CatalogItem]:
        """Products of these shops whose offer_id, name or Ozon SKU contains the query (any case)."""
        ...

    async def by_id(self, shop_id: uuid.UUID) -> Shop | None: ...
    async def update(self, shop: Shop) -> None: ...
    async def set_key(self, shop_id: uuid.UUID, api_key_encrypted: bytes) -> None: ...
    async def set_legal_entity(self, shop_id: uuid.UUID, entity_id: uuid.UUID | None) -> None: ...
    async def api_key(self, shop_id: uuid.UUID) -> bytes | None: ...
    async def delete(self, account_id: uuid.UUID, shop_id: uuid.UUID) -> None: ...
    async def syncable(self) -> list[Shop]: ...
    async def connected_client_ids(self, client_ids: frozenset[str]) -> frozenset[str]:
        """Which of these Ozon Client-Ids are connected as a shop in any account."""


class LedgerUnitOfWork(Transaction, Protocol):
    @property
    def ledger(self) -> LedgerRepository: ...
    @property
    def shops(self) -> ShopRepository: ...
    @property
    def audit(self) -> AuditRepository: ...
