"""The report readers over one unit of work: shop UUIDs become the small integer keys the money core uses.

Rollups are read by whole months (`sku_monthly_rollups`); the sales rows of a SKU whose cost changes inside a
month of the period are read by day instead, so every sale still takes the cost in force on its own date.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

import msgspec
import numpy as np

from stpulse.application.ledger.ports import CatalogItem
from stpulse.application.reports.stock_sources import StockSources
from stpulse.domain.accounts.legal import LegalEntity
from stpulse.domain.costs.cogs import CostBook
from stpulse.domain.kernel.allocation import allocate_array
from stpulse.domain.kernel.period import Period, day_date, day_number, month_first_day, parse_month
from stpulse.domain.ledger.ad_stats import AdStatsTable
from stpulse.domain.ledger.articles import ARTICLES, BUYOUTS, RETURNS, REVENUE, Section
from stpulse.domain.ledger.rollup import Rollup, empty_rollup, make_rollup
from stpulse.domain.ledger.shops import Shop
from stpulse.domain.planning.plan import PlanTarget, forecast_days
from stpulse.domain.reports.buyout_lines import BuyoutLine
from stpulse.domain.reports.cube import CORRECTION, OpexEntry, Product
from stpulse.domain.reports.kinds import RollupGrain
from stpulse.domain.reports.return_costs import ReturnOrigin
from stpulse.domain.reports.tax_rules import TaxRegime, TaxSettings, UsnBase

SALES = (REVENUE, RETURNS, BUYOUTS)
COMPENSATION_ARTICLES = tuple(a.code for a in ARTICLES if a.section is Section.COMPENSATION)


class ShopKeys(msgspec.Struct, frozen=True, kw_only=True):
    """Shops of one report, sorted; key = position + 1 (stable within the report only)."""

    shops: tuple[Shop, ...]

    @classmethod
    def of(cls, shops: Sequence[Shop]) -> ShopKeys:
        return cls(shops=tuple(sorted(shops, key=lambda s: s.id)))

    @property
    def keys(self) -> tuple[int, ...]:
        return tuple(range(1, len(self.shops) + 1))

    def key(self, shop_id: uuid.UUID) -> int:
        return next(i for i, s in enumerate(self.shops, start=1) if s.id == shop_id)

    def shop(self, key: int) -> Shop:
        return self.shops[key - 1]


class UowReportSources(StockSources):
    """RollupReader, CatalogReader, CostReader, OpexReader, TaxSettingsReader, ReturnOriginReader, BuyoutReader
    and (StockSources) the stock history for one report."""

    def __init__(self, uow: Any, account_id: uuid.UUID, keys: ShopKeys, account_shops: Sequence[Shop],
                 grain: RollupGrain = RollupGrain.ROWS) -> None:
        self.uow, self.account_id, self.k, self.grain = uow, account_id, keys, grain
        self.account_shops = sorted(s.id for s in account_shops)
        self.catalog: list[CatalogItem] = []
        self.book = CostBook(entries=())

    async def prepare(self) -> UowReportSources:
        if self.grain is RollupGrain.NONE:  # a report of no rollups reads no catalogue and no cost book either
            return self
        self.catalog = await self.uow.report_data.catalog([s.id for s in self.k.shops])
        self.book = await self.uow.cost_prices.book(self.account_id)
        return self

    async def cost_book(self, account_id: object) -> CostBook:
        return self.book

    async def products(self, shop_ids: Sequence[int]) -> Sequence[Product]:
        key = {s.id: i for i, s in enumerate(self.k.shops, start=1)}
        return [Product(shop_id=key[c.shop_id], sku=c.sku, offer_id=c.offer_id, name=c.name) for c in self.catalog]

    async def offer_ids(self, account_id: object) -> frozenset[str]:
        return frozenset(c.offer_id for c in self.catalog)

    async def read_rollup(self, shop_ids: Sequence[int], first_day: dt.date, last_day: dt.date) -> Rollup:
        if self.grain is RollupGrain.NONE:
            return empty_rollup(shop_ids)
        parts = [await self._shop_rows(key, i, first_day, last_day) for i, key in enumerate(shop_ids)]
        rows = np.concatenate(parts) if parts else np.zeros((0, 6), np.int64)
        if not len(rows):
            return empty_rollup(shop_ids)
        has_sku = rows[:, 2] > 0  # sku 0 = shop-level, −1 = a month correction (`spread_period_totals`)
        pairs, inverse = unique_inverse((rows[:, 1][has_sku] << 40) | rows[:, 2][has_sku])  # column, then mask
        sku = np.where(rows[:, 2] < 0, CORRECTION, -1).astype(np.int64)
        sku[has_sku] = inverse
        rollup = make_rollup(day=rows[:, 0], shop=rows[:, 1], sku=sku, article=rows[:, 3], amount=rows[:, 4],
                             quantity=rows[:, 5], shop_ids=list(shop_ids), skus=pairs & ((1 << 40) - 1),
                             sku_shop=pairs >> 40)
        return rollup  # rows are unique per key already; the cube sums with np.add.at anyway

    async def _shop_rows(self, key: int, index: int, first: dt.date, last: dt.date) -> np.ndarray:
        shop_id = self.k.shop(key).id
        rows = await self.uow.report_data.monthly(shop_id, first, last, self.grain, SALES)
        if self.grain == RollupGrain.BY_SKU:
            rows = spread_period_totals(rows, day_number(first))
        for month_first, skus in self._detail(shop_id, first, last).items():
            month_last = month_first_day(parse_month(month_first.strftime("%Y-%m")) + 1) - dt.timedelta(days=1)
            in_month = np.flatnonzero(rows[:, 0] == day_number(month_first))  # test the SKUs on that month only
            drop = np.zeros(len(rows), bool)
            drop[in_month[np.isin(rows[in_month, 1], skus) & np.isin(rows[in_month, 2], SALES)]] = True
            daily = await self.uow.report_data.daily(shop_id, month_first, month_last, skus, SALES)
            rows = np.concatenate([np.compress(~drop, rows, axis=0), daily])
        out = np.empty((len(rows), 6), np.int64)
        out[:, 0], out[:, 1], out[:, 2:] = rows[:, 0], index, rows[:, 1:]
        return out

    def _detail(self, shop_id: uuid.UUID, first: dt.date, last: dt.date) -> dict[dt.date, list[int]]:
        """Months in which a SKU's cost changes on a day other than the 1st: their sales are read by day."""
        changes: dict[str, set[dt.date]] = {}
        for offer_id, day in self.book.mid_month_changes:
            if first <= day <= last:
                changes.setdefault(offer_id, set()).add(day.replace(day=1))
        out: dict[dt.date, list[int]] = {}
        for c in self.catalog:
            if c.shop_id == shop_id and c.offer_id in changes:
                for month in changes[c.offer_id]:
                    out.setdefault(month, []).append(c.sku)
        return {m: sorted(v) for m, v in sorted(out.items())}

    async def return_origins(self, shop_ids: Sequence[int], first_day: dt.date,
                             last_day: dt.date) -> tuple[ReturnOrigin, ...]:
        found = await self.uow.report_data.return_sales([self.k.shop(k).id for k in shop_ids], first_day, last_day)
        return tuple(ReturnOrigin(shop_id=self.k.key(r.shop_id), sku=r.sku, day=day_number(r.date),
                                  quantity=r.quantity, sale_day=day_number(r.sale_date)) for r in found)

    async def plan_inputs(self, shop_ids: Sequence[int], period: Period,
                          as_of: int | None) -> tuple[tuple[PlanTarget, ...], Rollup | None]:
        records = await self.uow.report_data.plan_targets(self.account_id, period.first_day, period.last_day)
        keys = {self.k.shop(k).id: k for k in shop_ids}
        sku_of = {(c.shop_id, c.offer_id): c.sku for c in self.catalog}
        targets = tuple(
            PlanTarget(shop_id=keys[r.shop_id], month=parse_month(r.month.strftime("%Y-%m")),
                       sku=sku_of.get((r.shop_id, r.offer_id), -1) if r.offer_id else 0, offer_id=r.offer_id,
                       revenue=r.revenue, units=r.units, profit=r.profit, ad_budget=r.ad_budget, drr=r.drr_bp)
            for r in records if r.shop_id in keys)
        days = forecast_days(period, as_of)
        if days is None:
            return targets, None
        parts = []
        for i, key in enumerate(shop_ids):
            rows = await self.uow.report_data.daily_sales(self.k.shop(key).id, day_date(days[0]), day_date(days[1]),
                                                          SALES)
            out = np.empty((len(rows), 6), np.int64)
            out[:, 0], out[:, 1], out[:, 2:] = rows[:, 0], i, rows[:, 1:]
            parts.append(out)
        rows = np.concatenate(parts) if parts else np.zeros((0, 6), np.int64)
        if not len(rows):
            return targets, empty_rollup(shop_ids)
        pairs, inverse = unique_inverse((rows[:, 1] << 40) | rows[:, 2])
        daily = make_rollup(day=rows[:, 0], shop=rows[:, 1], sku=inverse, article=rows[:, 3], amount=rows[:, 4],
                            quantity=rows[:, 5], shop_ids=list(shop_ids), skus=pairs & ((1 << 40) - 1),
                            sku_shop=pairs >> 40)
        return targets, daily
    async def buyouts(self, shop_ids: Sequence[int], first_day: dt.date, last_day: dt.date) -> Sequence[BuyoutLine]:
        found = await self.uow.report_data.buyouts([self.k.shop(k).id for k in shop_ids], first_day, last_day)
        return [BuyoutLine(shop_id=self.k.key(r.shop_id), day=r.day, posting_number=r.posting_number, sku=r.sku,
                           offer_id=r.offer_id, name=r.name, quantity=r.quantity, buyout_price=r.buyout_price,
                           amount=r.amount) for r in found]

    async def opex(self, shop_ids: Sequence[int], period: Period) -> Sequence[OpexEntry]:
        records = await self.uow.report_data.opex(self.account_id, period.first_day, period.last_day)
        wanted = {self.k.shop(k).id: k for k in shop_ids}
        out: list[OpexEntry] = []
        for r in records:
            month = parse_month(r.month.strftime("%Y-%m"))
            for shop_id, amount in self._split(r.shop_id, r.amount):
                if shop_id in wanted and amount:
                    out.append(OpexEntry(shop_id=wanted[shop_id], month=month, article=r.article, amount=amount))
        return out

    def _split(self, shop_id: uuid.UUID | None, amount: int) -> list[tuple[uuid.UUID, int]]:
        """An account-wide expense is split equally over the account's shops (largest remainder)."""
        if shop_id is not None:
            return [(shop_id, amount)]
        if not self.account_shops:
            return []
        parts = allocate_array(amount, np.ones(len(self.account_shops), np.int64))
        return list(zip(self.account_shops, (int(p) for p in parts), strict=True))

    async def tax_settings(self, shop_ids: Sequence[int]) -> Mapping[int, TaxSettings]:
        entities = {e.id: e for e in await self.uow.report_data.legal_entities(self.account_id)}
        out: dict[int, TaxSettings] = {}
        for key in shop_ids:
            entity = entities.get(self.k.shop(key).legal_entity_id)  # type: ignore[arg-type]
            if entity is not None:
                out[key] = tax_settings_of(entity)
        return out

    async def ad_stats(self, shop_ids: Sequence[int], first_day: dt.date, last_day: dt.date) -> AdStatsTable:
        """AdStatsReader: the period's sums per (shop key, campaign, SKU), placed on the period's first day."""
        found = await self.uow.report_data.ad_sums([self.k.shop(k).id for k in shop_ids], first_day, last_day)
        parts, titles = [], {}
        for shop_id, sums, names in found:
            parts.append(np.column_stack([np.full(len(sums), self.k.key(shop_id), np.int64), sums]))
            titles.update(names)
        cols = np.concatenate(parts) if parts else np.zeros((0, 8), np.int64)
        day = np.full(len(cols), day_number(first_day), np.int64)
        return AdStatsTable(shop=cols[:, 0], day=day, campaign=cols[:, 1], sku=cols[:, 2], spend=cols[:, 3],
                            views=cols[:, 4], clicks=cols[:, 5], orders=cols[:, 6], revenue=cols[:, 7],
                            titles=titles)


def spread_period_totals(rows: np.ndarray, first_day: int) -> np.ndarray:
    """Rows of the BY_SKU grain (the database's pre-aggregation) back to rollup rows that give the exact cube.

    In: sales rows per SKU and month; other articles per SKU over the period (day −1), per month (sku −1) and,
    shop-level, per month as stored (sku 0). Out: the SKU totals on the first month, the shop-level rows as they
    are (Юнитка splits them month by month), plus per (month, article) a correction row (sku −1, `CORRECTION` in
    the rollup) carrying what the SKUs' money of the month differs from what was placed there: per-month totals,
    per-SKU totals and the shop-level money of every month are all exact. Plain rows pass through.
    """
    if not len(rows) or (rows[:, 0] >= 0).all() and (rows[:, 1] >= 0).all():
        return rows
    sku_total = (rows[:, 0] < 0) & (rows[:, 1] > 0)
    month_total = (rows[:, 1] < 0) & ~np.isin(rows[:, 2], SALES)
    kept = (rows[:, 0] >= 0) & (rows[:, 1] >= 0)  # sales rows and shop-level rows
    placed = np.compress(sku_total, rows, axis=0)  # a copy; 2-D boolean indexing is ~4× slower
    placed[:, 0] = first_day
    shop_level = kept & (rows[:, 1] == 0) & ~np.isin(rows[:, 2], SALES)
    moved = np.zeros(256, np.int64)  # what the SKU totals placed on the first month add there, per article (< 256)
    np.add.at(moved, placed[:, 2], placed[:, 3])
    articles = np.flatnonzero(moved)
    taken = np.zeros((len(articles), 5), np.int64)
    taken[:, 0], taken[:, 2], taken[:, 3] = first_day, articles, -moved[articles]
    shop = np.compress(shop_level, rows, axis=0)
    shop[:, 3] = -shop[:, 3]
    correction = np.concatenate([np.compress(month_total, rows, axis=0), shop, taken])
    correction[:, 1], correction[:, 4] = -1, 0
    return np.concatenate([np.compress(kept, rows, axis=0), placed, correction])


def unique_inverse(key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """np.unique(key, return_inverse=True) by a stable sort: the keys come as months each sorted by SKU, runs
    that a merge sort joins in a few passes."""
    order = np.argsort(key, kind="stable")
    k = key[order]
    new = np.empty(len(k), bool)
    new[:1] = True
    np.not_equal(k[1:], k[:-1], out=new[1:])
    inverse = np.empty(len(k), np.int64)
    inverse[order] = np.cumsum(new) - 1
    return k[new], inverse


def tax_settings_of(entity: LegalEntity) -> TaxSettings:
    try:
        rate = Decimal(entity.tax_rate_percent.replace(",", "."))
    except InvalidOperation:
        rate = None
    base = UsnBase.PAYOUTS if entity.usn_base == UsnBase.PAYOUTS.value else UsnBase.SALES
    return TaxSettings(regime=TaxRegime(entity.tax_regime.value), rate=rate, vat_rate=entity.vat_rate, usn_base=base)
