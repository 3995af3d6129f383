"""Ports the money reports and the cost-price import need. Adapters satisfy them structurally."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator, Mapping, Sequence
from typing import Protocol

import msgspec
import numpy as np

from stpulse.application.costs.ports import OpexRecord
from stpulse.application.ledger.ports import CatalogItem
from stpulse.application.planning.ports import PlanTargetRecord
from stpulse.application.reports.stock_ports import StockRows, SupplyTransit
from stpulse.domain.accounts.legal import LegalEntity
from stpulse.domain.cash.flows import CashInputs
from stpulse.domain.costs.cogs import CostBook, CostPrice
from stpulse.domain.kernel.period import Period
from stpulse.domain.ledger.accruals import AccrualLine
from stpulse.domain.ledger.ad_stats import AdStatsTable
from stpulse.domain.ledger.rollup import Rollup
from stpulse.domain.ledger.shops import Shop
from stpulse.domain.planning.plan import PlanTarget
from stpulse.domain.planning.supply import SupplyParams
from stpulse.domain.reports.buyout_lines import BuyoutLine
from stpulse.domain.reports.cube import OpexEntry, Product
from stpulse.domain.reports.return_costs import ReturnOrigin
from stpulse.domain.reports.settlement import SettlementMonth
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


class SettlementReader(Protocol):
    async def settlement_months(self, shop_ids: Sequence[int], period: Period) -> Sequence[SettlementMonth]:
        """Per shop and month what the ledger and Ozon's settlement documents say (for «Сверка с Ozon»)."""
        ...


class CashReader(Protocol):
    async def cash_inputs(self, shop_ids: Sequence[int], period: Period) -> CashInputs:
        """The ДДС's money accounts, entries and the shops' Ozon money, every month through the period's end."""
        ...


class ReturnOriginReader(Protocol):
    async def return_origins(self, shop_ids: Sequence[int], first_day: dt.date,
                             last_day: dt.date) -> tuple[ReturnOrigin, ...]:
        """Returned units of first_day..last_day whose sale (same posting number and SKU) was found."""
        ...


class BuyoutReader(Protocol):
    async def buyouts(self, shop_ids: Sequence[int], first_day: dt.date, last_day: dt.date) -> Sequence[BuyoutLine]:
        """«Выкупы Озоном» of the shops (report keys) dated in the period, line by line."""
        ...


class BuyoutRecord(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """A stored buyout line of a shop (database id), as `ReportDataRepository.buyouts` reads it."""

    shop_id: uuid.UUID
    day: dt.date
    posting_number: str
    sku: int
    offer_id: str
    name: str
    quantity: int
    buyout_price: int
    amount: int


class ReturnSale(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """Units of one SKU returned on a day whose sale, by posting number, was on `sale_date`."""

    shop_id: uuid.UUID
    sku: int
    date: dt.date
    quantity: int
    sale_date: dt.date


class ReportSpreadsheetWriter(Protocol):
    def write_table(self, table: Table) -> bytes: ...


class LineSheet(Protocol):
    """An xlsx being written row by row (rows go out as added; memory stays bounded)."""

    def add(self, rows: Sequence[DrillRow]) -> None: ...
    def finish(self) -> bytes: ...


class LineSheetWriter(Protocol):
    def start(self, title: str) -> LineSheet: ...


class DrillRow(msgspec.Struct, frozen=True, kw_only=True, array_like=True):
    """One accrual line as a seller reads it (the page and the xlsx show the same labels)."""

    date: dt.date
    shop: str
    accrual_id: int
    line_no: int
    posting: str
    sku: int | None
    product: str
    part: str
    type: str
    quantity: int
    amount: int  # kopecks


class CostSheetReader(Protocol):
    def read_rows(self, data: bytes) -> list[list[Cell]]:
        """The first sheet's rows; raises SpreadsheetRejected for a file that is not a safe xlsx."""
        ...


class CostSheetWriter(Protocol):
    def write_costs(self, book: CostBook, names: Mapping[str, str]) -> bytes:
        """The book in the import format; every offer of `names` (offer_id → product name) without a cost gets a
        row to fill in."""
        ...


class LineFilter(msgspec.Struct, frozen=True, kw_only=True):
    """Which accrual lines make one P&L article (drill-down)."""

    component: str  # sale | commission | service
    sign: int = 0  # sale lines: +1 revenue, −1 returns
    type_ids: tuple[int, ...] = ()  # service lines of these types
    other_than: tuple[int, ...] | None = None  # service lines of any other type (and without a type)
    sku: int | None = None  # the user's filters: only this SKU (0: lines without a SKU)
    posting: str = ""  # only this posting (unit_number)
    type_id: int | None = None  # only this accrual type (0: lines without a type)


class LineSum(msgspec.Struct, frozen=True, kw_only=True, array_like=True):
    """The lines of one (accrual type, SKU) pair behind a drill-down (None: without one), summed."""

    type_id: int | None
    sku: int | None
    lines: int
    quantity: int
    amount: int


class AdStatsReader(Protocol):
    async def ad_stats(self, shop_ids: Sequence[int], first_day: dt.date, last_day: dt.date) -> AdStatsTable:
        """The Performance statistics of the period, summed per shop, campaign and SKU."""
        ...


class ReportDataRepository(Protocol):
    async def ad_sums(self, shop_ids: Sequence[uuid.UUID], first: dt.date, last: dt.date
                      ) -> list[tuple[uuid.UUID, np.ndarray, dict[int, str]]]: ...
    async def snapshot(self) -> None:
        """Called first in a unit of work: every read after it sees one snapshot of the database."""
        ...

    async def fingerprint(self, account_id: uuid.UUID, shop_ids: Sequence[uuid.UUID], first: dt.date,
                          last: dt.date, packs: bool = True, history_from: dt.date | None = None,
                          facts: bool = False) -> str | None:
        """A short text that changes whenever anything a report of these shops and days reads changes (rollups,
        catalogue, cost prices, own expenses, tax settings, ledger mapping); None when it cannot be told cheaply.
        `packs=False`: a report that reads no rollups (the stock reports) does not need every month packed.
        `history_from`: the months from it up to `first` are read too (ОПиУ's estimate), whichever are packed;
        `facts`: the operational facts' stamps (posting lines, returns, stock) too."""
        ...

    async def monthly(self, shop_id: uuid.UUID, first: dt.date, last: dt.date, grain: str = "rows",
                      sales: Sequence[int] = ()) -> np.ndarray:
        """int64 [n, 5]: (day number of the month's first day, sku, article, amount, quantity), pre-aggregated to a
        report's grain (`domain.reports.kinds.RollupGrain`)."""
        ...

    async def shop_anywhere(self, shop_id: uuid.UUID) -> Shop | None: ...

    async def daily(self, shop_id: uuid.UUID, first: dt.date, last: dt.date, skus: Sequence[int],
                    articles: Sequence[int]) -> np.ndarray: ...
    async def catalog(self, shop_ids: Sequence[uuid.UUID]) -> list[CatalogItem]: ...
    async def daily_sales(self, shop_id: uuid.UUID, first: dt.date, last: dt.date,
                          articles: Sequence[int]) -> np.ndarray:
        """int64 [n, 5] (day number, sku, article, amount, quantity): every SKU's rows of these articles by day."""
        ...

    async def plan_targets(self, account_id: uuid.UUID, first: dt.date, last: dt.date) -> list[PlanTargetRecord]: ...
    async def opex(self, account_id: uuid.UUID, first: dt.date, last: dt.date) -> Sequence[OpexRecord]:
        """Own expenses of the months first..last (for a report: kept per fingerprint)."""
        ...

    async def legal_entities(self, account_id: uuid.UUID) -> Sequence[LegalEntity]: ...
    async def lines(self, shop_ids: Sequence[uuid.UUID], first: dt.date, last: dt.date, where: LineFilter,
                    offset: int, limit: int) -> tuple[list[AccrualLine], int]: ...
    async def buyouts(self, shop_ids: Sequence[uuid.UUID], first: dt.date, last: dt.date) -> list[BuyoutRecord]:
        """The shops' buyout lines dated first..last, by day, posting and SKU."""
        ...

    async def return_sales(self, shop_ids: Sequence[uuid.UUID], first: dt.date, last: dt.date) -> list[ReturnSale]:
        """Returns (sale lines with a negative amount) of first..last, each with the date of the latest sale of the
        same posting number and SKU on or before it, summed by (shop, SKU, return date, sale date); returns whose
        sale is not stored are left out."""
        ...

    async def latest_stock_day(self, shop_ids: Sequence[uuid.UUID], last: dt.date) -> dt.date | None: ...
    async def stock_rows(self, shop_ids: Sequence[uuid.UUID], first: dt.date, last: dt.date) -> StockRows: ...
    async def units_ordered(self, shop_ids: Sequence[uuid.UUID], first: dt.date, last: dt.date,
                            by_warehouse: bool = True) -> np.ndarray: ...
    async def supplies_in_transit(self, shop_ids: Sequence[uuid.UUID]) -> list[SupplyTransit]: ...
    async def supply_params(self, account_id: uuid.UUID) -> dict[str, SupplyParams]: ...
    async def stock_stamp(self, account_id: uuid.UUID, shop_ids: Sequence[uuid.UUID]) -> str: ...

    async def line_sums(self, shop_ids: Sequence[uuid.UUID], first: dt.date, last: dt.date,
                        where: LineFilter) -> list[LineSum]:
        """The lines summed per (type_id, SKU) in one pass; the drill-down folds them by type and by SKU."""
        ...

    def line_chunks(self, shop_ids: Sequence[uuid.UUID], first: dt.date, last: dt.date, where: LineFilter,
                    size: int) -> AsyncIterator[list[AccrualLine]]:
        """Every matching line in order, `size` at a time (the xlsx export; memory stays bounded)."""
        ...


class ReportSettingsRepository(Protocol):
    """The account's SKU models, each user's «Показатели» per report, the account's highlight thresholds."""

    async def models(self, account_id: uuid.UUID) -> dict[str, str]: ...
    async def replace_models(self, account_id: uuid.UUID, models: Mapping[str, str]) -> None:
        """Set these offer_id → model pairs (an empty model removes the offer's)."""
        ...

    async def metric_choice(self, user_id: uuid.UUID, account_id: uuid.UUID, report: str) -> tuple[str, ...] | None: ...
    async def save_metric_choice(self, user_id: uuid.UUID, account_id: uuid.UUID, report: str,
                                 metrics: Sequence[str]) -> None: ...
    async def thresholds(self, account_id: uuid.UUID) -> dict[str, int]: ...
    async def save_thresholds(self, account_id: uuid.UUID, values: Mapping[str, int | None]) -> None:
        """None removes the account's own value (the rule's default applies)."""
        ...


class SharedTableStore(Protocol):
    """Finished report tables every web process and worker reads (Redis in production), keyed by `cache.table_key`."""

    async def get(self, key: str) -> Table | None: ...
    async def put(self, key: str, table: Table) -> None: ...


class PlanReader(Protocol):
    async def plan_inputs(self, shop_ids: Sequence[int], period: Period,
                          as_of: int | None) -> tuple[tuple[PlanTarget, ...], Rollup | None]:
        """План's targets of the period and the sales by day its forecast reads (`domain.planning.plan.forecast_days`)."""
        ...
