"""Ports the money reports and the cost-price import need. Adapters satisfy them structurally."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Protocol

from stpulse.domain.costs.cogs import CostBook, CostPrice
from stpulse.domain.kernel.period import Period
from stpulse.domain.ledger.articles import LedgerMapping
from stpulse.domain.ledger.rollup import Rollup
from stpulse.domain.reports.cube import OpexEntry, Product
from stpulse.domain.reports.table import Table
from stpulse.domain.reports.tax_rules import TaxSettings

Cell = str | int | float | bool | dt.date | dt.datetime | dt.time | dt.timedelta | None


class RollupReader(Protocol):
    async def read_rollup(self, shop_ids: Sequence[int], first_day: dt.date, last_day: dt.date) -> Rollup:
        """Daily rollup rows of these shops for first_day..last_day inclusive (all sources, see domain.rollup)."""
        ...


class CatalogReader(Protocol):
    async def products(self, shop_ids: Sequence[int]) -> Sequence[Product]: ...

    async def offer_ids(self, account_id: int) -> frozenset[str]:
        """Every offer_id of the account's shops: the cost import refuses any other."""
        ...


class CostReader(Protocol):
    async def cost_book(self, account_id: int) -> CostBook: ...


class CostWriter(Protocol):
    async def save_cost_prices(self, account_id: int, entries: Sequence[CostPrice]) -> None:
        """Upsert by (offer_id, effective_from) in one transaction."""
        ...


class OpexReader(Protocol):
    async def opex(self, shop_ids: Sequence[int], period: Period) -> Sequence[OpexEntry]: ...


class TaxSettingsReader(Protocol):
    async def tax_settings(self, shop_ids: Sequence[int]) -> Mapping[int, TaxSettings]:
        """shop_id → its legal entity's tax settings; shops without settings are left out."""
        ...


class PayoutReader(Protocol):
    async def monthly_payouts(self, shop_ids: Sequence[int], period: Period) -> Mapping[tuple[int, int], int]:
        """(shop_id, month number) → Ozon payouts in kopecks (for УСН «доходы» on the payouts base)."""
        ...


class LedgerMappingReader(Protocol):
    async def ledger_mapping(self) -> LedgerMapping: ...


class ReportSpreadsheetWriter(Protocol):
    def write_table(self, table: Table) -> bytes: ...


class CostSheetReader(Protocol):
    def read_rows(self, data: bytes) -> list[list[Cell]]:
        """The first sheet's rows; raises SpreadsheetRejected for a file that is not a safe xlsx."""
        ...


class CostSheetWriter(Protocol):
    def write_costs(self, book: CostBook) -> bytes: ...
