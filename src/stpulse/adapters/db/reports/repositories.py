"""What the reports read: rollup rows as int64 arrays, the catalogue, the accrual lines behind a P&L line."""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from collections.abc import Sequence
from typing import Any

import numpy as np
from sqlalchemy import (
    Integer,
    Table,
    any_,
    bindparam,
    cast,
    func,
    literal_column,
    select,
    text,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from stpulse.adapters.db.accounts import models as m
from stpulse.adapters.db.arrays import among
from stpulse.adapters.db.costs import models as mm
from stpulse.adapters.db.ledger import models as f
from stpulse.adapters.db.ledger import rollup_packs as packs
from stpulse.adapters.db.mapping import to_domain
from stpulse.adapters.db.planning import models as pm
from stpulse.adapters.db.reports import ad_stats, content_cache, fingerprint
from stpulse.adapters.db.reports.drill import DrillQueries
from stpulse.adapters.db.reports.fingerprint import CATALOG_VERSION, OPEX_ROWS, TAX_ROWS
from stpulse.adapters.db.reports.grains import GRAINS, shaped, unpack
from stpulse.adapters.db.reports.stock import StockQueries
from stpulse.application.costs.ports import OpexRecord
from stpulse.application.ledger.ports import CatalogItem
from stpulse.application.planning.ports import PlanTargetRecord
from stpulse.application.reports.ports import BuyoutRecord, ReturnSale
from stpulse.domain.accounts.legal import LegalEntity
from stpulse.domain.kernel.period import EPOCH, months_between
from stpulse.domain.ledger.shops import Shop
from stpulse.domain.reports.kinds import RollupGrain


def _day_number(session: AsyncSession, column: Any) -> Any:
    """A date column as days since 1970-01-01, computed by the database (no date objects in Python)."""
    if _dialect(session) == "postgresql":
        return (column - literal_column("DATE '1970-01-01'")).label("d")
    return cast(func.julianday(column) - 2440587.5, Integer).label("d")


def cast_table(row: type) -> Table:
    return row.__table__  # type: ignore[attr-defined,no-any-return]


def _dialect(session: AsyncSession) -> str:
    return session.bind.dialect.name if session.bind is not None else ""


def _array(rows: Sequence[Sequence[int]]) -> np.ndarray:
    return np.array(rows, dtype=np.int64).reshape(-1, 5)


class ReportDataRepo(DrillQueries, StockQueries):
    def __init__(self, session: AsyncSession) -> None:
        self.s = session
        self._stamps: dict[uuid.UUID, dict[int, int]] = {}  # shop → month day → stamp, as read by `monthly`
        self._periods: dict[tuple[uuid.UUID, dt.date, dt.date], dict[int, int]] = {}  # read by `fingerprint`

    async def ad_sums(self, shop_ids: Sequence[uuid.UUID], first: dt.date, last: dt.date
                      ) -> list[tuple[uuid.UUID, np.ndarray, dict[int, str]]]:
        """The ad statistics of the period summed per shop, campaign and SKU (adapters/db/reports/ad_stats.py)."""
        return await ad_stats.shops_period_sums(self.s, shop_ids, first, last)

    async def snapshot(self) -> None:
        """PostgreSQL: the unit of work becomes one REPEATABLE READ transaction, so the fingerprint and every row
        read after it come from the same snapshot (a sync committing in between is not half seen)."""
        if self._postgres and not self.s.in_transaction():
            await self.s.connection(execution_options={"isolation_level": "REPEATABLE READ"})

    async def fingerprint(self, account_id: uuid.UUID, shop_ids: Sequence[uuid.UUID], first: dt.date,
                          last: dt.date, packs: bool = True, history_from: dt.date | None = None,
                          facts: bool = False) -> str | None:
        """One round trip (`fingerprint.read`): the packed months' stamps, the version stamps of the catalogues, cost
        book and plan, a digest of each few-row table the report reads whole, with `history_from` the packed months
        from it up to `first` too, with `facts` the operational facts' stamps. None on SQLite and when a month of the
        period is not packed. Left for the loads of the same transaction (the settlement stamps too)."""
        if not self._postgres or not shop_ids:
            return None
        shops = sorted(shop_ids)
        found = await fingerprint.read(self.s, account_id, shops, first, last, history_from, facts)
        known = fingerprint.months(found["stamps"], shops)
        for shop in shops:
            self._periods[(shop, first, last)] = known[shop]
        if history_from is not None:
            before = fingerprint.months(found["history"], shops)
            for shop in shops:
                self._periods[(shop, history_from, first - dt.timedelta(days=1))] = before[shop]
        if packs and any(len(known[shop]) < months_between(first, last) for shop in shops):
            return None
        text_ = "|".join(found[k] for k in ("stamps", "cost", "catalogs", "opex", "legal", "mapping", "plan"))
        if history_from is not None:
            text_ += f"|history:{found['history']}|{found['history_opex']}"
        return text_ + (f"|facts:{found['facts']}" if facts else "")

    async def shop_anywhere(self, shop_id: uuid.UUID) -> Shop | None:
        """A shop of any account: only for the operator's CLI (`stpulse report --shop ID`)."""
        row = await self.s.get(m.ShopRow, shop_id)
        return to_domain(row, Shop) if row else None

    async def monthly(self, shop_id: uuid.UUID, first: dt.date, last: dt.date,
                      grain: str = RollupGrain.ROWS, sales: Sequence[int] = ()) -> np.ndarray:
        """Monthly rows, pre-aggregated to the report's grain (`ReportKind.grain`) on PostgreSQL.

        PostgreSQL reads the packs (rollup_packs) and keeps the shaped rows per process under the months' stamps;
        a period with a month not packed yet is read from the rows."""
        r = f.MonthlyRollupRow
        if self._postgres:
            known = self._periods.get((shop_id, first, last))
            if known is None:
                known = await packs.stamps(self.s, shop_id, first, last)
            self._stamps.setdefault(shop_id, {}).update(known)
            if len(known) < months_between(first, last):
                if grain in GRAINS:
                    return await self._shaped(GRAINS[grain], shop_id, first, last, sales)
                return await self._packed("sku_monthly_rollups", "month", shop_id, first, last, "")
            key = ("monthly", grain, shop_id, tuple(sorted(known.items())), tuple(sales))
            return await packs.cached(key, lambda: self._from_packs(shop_id, known, grain, sales))
        stmt = (select(_day_number(self.s, r.month), r.sku, r.article, r.amount, r.quantity)
                .where(r.shop_id == shop_id, r.month >= first, r.month <= last))
        return _array((await self.s.execute(stmt)).all())

    async def _from_packs(self, shop_id: uuid.UUID, known: dict[int, int], grain: str,
                          sales: Sequence[int]) -> np.ndarray:
        parts = await packs.packed_months(self.s, shop_id, known)
        rows = np.concatenate(parts) if parts else _array([])
        return shaped(rows, grain, sales) if grain in GRAINS else rows

    async def _shaped(self, inner: str, shop_id: uuid.UUID, first: dt.date, last: dt.date,
                      sales: Sequence[int]) -> np.ndarray:
        sql = (f"SELECT string_agg(int4send(d::int4) || int8send(s::int8) || int2send(a::int2) || int8send(m::int8) || "
               f"int8send(q::int8), ''::bytea) FROM ({inner}) g")
        stmt = text(sql)
        await self.s.execute(text("SET LOCAL work_mem = '32MB'"))  # the SKU grouping stays in memory
        packed = (await self.s.execute(stmt, {"shop": shop_id, "first": first, "last": last,
                                              "sales": list(sales)})).scalar()
        return unpack(packed)

    @property
    def _postgres(self) -> bool:
        return _dialect(self.s) == "postgresql"

    async def _packed(self, table: str, period: str, shop_id: uuid.UUID, first: dt.date, last: dt.date,
                      extra: str, **params: Any) -> np.ndarray:
        """PostgreSQL packs the rows into one binary string (30 bytes a row): no Python object per row."""
        sql = (f"SELECT string_agg(int4send({period} - DATE '1970-01-01') || int8send(sku) || int2send(article) || "
               f"int8send(amount) || int8send(quantity), ''::bytea) FROM {table} "
               f"WHERE shop_id = :shop AND {period} BETWEEN :first AND :last {extra}")
        stmt = text(sql)
        if "skus" in params:
            # a month of one shop's index, filtered by SKU: parallel workers cost more to start than they save;
            # and a plan for these very SKUs: a generic plan guesses a few rows for `sku = ANY($4)` and walks the
            # month's index entry by entry into the heap (~300 ms from the 6th execution on, against ~25 ms)
            await self.s.execute(text("SET LOCAL max_parallel_workers_per_gather = 0"))
            await self.s.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))
        packed = (await self.s.execute(stmt, {"shop": shop_id, "first": first, "last": last, **params})).scalar()
        return unpack(packed)

    async def daily(self, shop_id: uuid.UUID, first: dt.date, last: dt.date, skus: Sequence[int],
                    articles: Sequence[int]) -> np.ndarray:
        if not skus:
            return _array([])
        r = f.DailyRollupRow
        if self._postgres:
            load = lambda: self._packed("sku_daily_rollups", "day", shop_id, first, last,  # noqa: E731
                                        "AND sku = ANY(CAST(:skus AS bigint[])) AND article = ANY(CAST(:arts AS int[]))", skus=list(skus), arts=list(articles))
            stamp = self._stamps.get(shop_id, {}).get(int((first.replace(day=1) - EPOCH).days))
            if stamp is None or first.replace(day=1) != last.replace(day=1):
                return await load()
            # a month's daily rows change only together with its monthly rows, i.e. with its pack's stamp
            return await packs.cached(("daily", shop_id, first, last, stamp, tuple(skus), tuple(articles)), load)
        stmt = (select(_day_number(self.s, r.day), r.sku, r.article, r.amount, r.quantity)
                .where(r.shop_id == shop_id, r.day >= first, r.day <= last, r.sku.in_(list(skus)),
                       r.article.in_(list(articles))))
        return _array((await self.s.execute(stmt)).all())

    async def daily_sales(self, shop_id: uuid.UUID, first: dt.date, last: dt.date,
                          articles: Sequence[int]) -> np.ndarray:
        """Every SKU's rows of these articles by day (План's forecast: one month and the weeks before it)."""
        r = f.DailyRollupRow
        if self._postgres:
            return await self._packed("sku_daily_rollups", "day", shop_id, first, last,
                                      "AND sku > 0 AND article = ANY(CAST(:arts AS int[]))", arts=list(articles))
        stmt = (select(_day_number(self.s, r.day), r.sku, r.article, r.amount, r.quantity)
                .where(r.shop_id == shop_id, r.day >= first, r.day <= last, r.sku > 0, r.article.in_(list(articles))))
        return _array((await self.s.execute(stmt)).all())

    async def plan_targets(self, account_id: uuid.UUID, first: dt.date, last: dt.date) -> list[PlanTargetRecord]:
        row = pm.PlanTargetRow
        stmt = select(row).where(row.account_id == account_id, row.month >= first, row.month <= last)
        return [to_domain(r, PlanTargetRecord) for r in (await self.s.execute(stmt)).scalars()]

    async def catalog(self, shop_ids: Sequence[uuid.UUID]) -> list[CatalogItem]:
        """The shops' products as the sync stored them (`ozon_products`): offer_id ↔ SKU (kept per version stamp)."""
        digest = f"SELECT {CATALOG_VERSION}"
        out: list[CatalogItem] = []
        for shop_id in shop_ids:
            out += await content_cache.cached(self.s, "catalog", digest, {"shop": shop_id},
                                              lambda shop_id=shop_id: self._products(shop_id))  # type: ignore[misc]
        return out

    async def _products(self, shop_id: uuid.UUID) -> tuple[CatalogItem, ...]:
        p = cast_table(f.ProductRow)  # Core columns: no ORM rows, no UUID per row
        stmt = select(p.c.sku, p.c.offer_id, p.c.name).where(p.c.shop_id == shop_id)
        return tuple(CatalogItem(shop_id=shop_id, sku=int(k), offer_id=o, name=n or "")
                     for k, o, n in (await self.s.execute(stmt)).all())

    async def opex(self, account_id: uuid.UUID, first: dt.date, last: dt.date) -> tuple[OpexRecord, ...]:
        """The account's own expenses of the months first..last (kept per fingerprint of the rows)."""
        return await content_cache.cached(self.s, "opex", content_cache.digest(*OPEX_ROWS),
                                          {"account": account_id, "first": first, "last": last},
                                          lambda: self._opex(account_id, first, last))

    async def _opex(self, account_id: uuid.UUID, first: dt.date, last: dt.date) -> tuple[OpexRecord, ...]:
        row = mm.OpexEntryRow
        stmt = select(row).where(row.account_id == account_id, row.month >= first, row.month <= last).order_by(
            row.month, row.article)
        return tuple(to_domain(r, OpexRecord) for r in (await self.s.execute(stmt)).scalars())

    async def legal_entities(self, account_id: uuid.UUID) -> tuple[LegalEntity, ...]:
        """The account's legal entities (their tax settings), kept per fingerprint of the rows."""
        return await content_cache.cached(self.s, "legal", content_cache.digest(*TAX_ROWS), {"account": account_id},
                                          lambda: self._legal_entities(account_id))

    async def _legal_entities(self, account_id: uuid.UUID) -> tuple[LegalEntity, ...]:
        stmt = select(m.LegalEntityRow).where(m.LegalEntityRow.account_id == account_id)
        return tuple(to_domain(r, LegalEntity) for r in (await self.s.execute(stmt)).scalars())

    async def buyouts(self, shop_ids: Sequence[uuid.UUID], first: dt.date, last: dt.date) -> list[BuyoutRecord]:
        b = f.BuyoutLineRow
        stmt = (select(b.shop_id, b.day, b.posting_number, b.sku, b.offer_id, b.name, b.quantity, b.buyout_price,
                       b.amount)
                .where(among(self.s, b.shop_id, shop_ids), b.day >= first, b.day <= last)
                .order_by(b.day, b.posting_number, b.sku))
        return [BuyoutRecord(shop_id=shop, day=day, posting_number=posting, sku=int(sku), offer_id=offer, name=name,
                             quantity=int(q), buyout_price=int(price), amount=int(amount))
                for shop, day, posting, sku, offer, name, q, price, amount in (await self.s.execute(stmt)).all()]

    async def return_sales(self, shop_ids: Sequence[uuid.UUID], first: dt.date, last: dt.date) -> list[ReturnSale]:
        """One statement whatever the number of shops (an array on PostgreSQL): the returns through
        ix_accrual_lines_shop_returns, each one's sale by a probe of ix_accrual_lines_shop_unit."""
        dialect = self.s.bind.dialect.name if self.s.bind is not None else ""
        rows = await self.s.execute(_return_sales(dialect), {"shops": list(shop_ids), "first": first, "last": last})
        return [ReturnSale(shop_id=shop, sku=int(sku), date=day, quantity=int(q), sale_date=sale_day)
                for shop, sku, day, q, sale_day in rows.all() if q and sale_day is not None]


@functools.cache
def _return_sales(dialect: str) -> Any:
    """`return_sales`' statement, built once per dialect (building it took longer than PostgreSQL's answer)."""
    r, s = aliased(f.AccrualLineRow), aliased(f.AccrualLineRow)
    shops = (r.shop_id == any_(bindparam("shops", type_=postgresql.ARRAY(r.shop_id.type))) if dialect == "postgresql"
             else r.shop_id.in_(bindparam("shops", expanding=True)))
    sale = (select(func.max(s.date))
            .where(s.shop_id == r.shop_id, s.unit_number == r.unit_number, s.sku == r.sku,
                   s.component == "sale", s.amount > 0, s.date <= r.date)
            .scalar_subquery())
    found = (select(r.shop_id, r.sku, r.date, func.abs(r.quantity).label("q"), sale.label("sale"))
             .where(shops, r.date >= bindparam("first"), r.date <= bindparam("last"),
                    r.component == "sale", r.amount < 0, r.unit_number.is_not(None), r.sku.is_not(None))
             .subquery())
    return (select(found.c.shop_id, found.c.sku, found.c.date, func.sum(found.c.q), found.c.sale)
            .group_by(found.c.shop_id, found.c.sku, found.c.date, found.c.sale))  # no filter on `sale` here:
    # PostgreSQL would push it down and probe every return's sale twice
