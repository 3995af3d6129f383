"""What the reports read: rollup rows as int64 arrays, the catalogue, the accrual lines behind a P&L line."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

import numpy as np
from sqlalchemy import Integer, Table, and_, bindparam, cast, false, func, literal_column, or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from stpulse.adapters.db import content_cache
from stpulse.adapters.db import models as m
from stpulse.adapters.db import models_facts as f
from stpulse.adapters.db import models_ozon as mo
from stpulse.adapters.db import rollup_packs as packs
from stpulse.adapters.db.mapping import to_domain
from stpulse.application.money_ports import CatalogItem, LineFilter
from stpulse.domain.accruals import AccrualLine, Component
from stpulse.domain.rollup import EPOCH
from stpulse.domain.shops import Shop


def _day_number(session: AsyncSession, column: Any) -> Any:
    """A date column as days since 1970-01-01, computed by the database (no date objects in Python)."""
    if _dialect(session) == "postgresql":
        return (column - literal_column("DATE '1970-01-01'")).label("d")
    return cast(func.julianday(column) - 2440587.5, Integer).label("d")


_WHERE = "FROM sku_monthly_rollups WHERE shop_id = :shop AND month BETWEEN :first AND :last"
_DAY = "month - DATE '1970-01-01'"
_SHAPES = {
    # P&L: sales rows per SKU and month as stored (cost of goods, units); other articles per month, shop-level
    "pnl": (f"SELECT {_DAY} AS d, sku AS s, article AS a, amount AS m, quantity AS q {_WHERE} AND article IN :sales "
            f"UNION ALL SELECT {_DAY}, 0, article, sum(amount), sum(quantity) {_WHERE} AND article NOT IN :sales "
            "GROUP BY month, article"),
    # Юнитка: the same, plus other articles per SKU over the whole period (d = −1); per-month rows get s = −1
    "unit": (f"SELECT {_DAY} AS d, sku AS s, article AS a, amount AS m, quantity AS q {_WHERE} AND article IN :sales "
             f"UNION ALL SELECT -1, sku, article, sum(amount), sum(quantity) {_WHERE} AND article NOT IN :sales "
             "AND sku <> 0 GROUP BY sku, article "
             f"UNION ALL SELECT {_DAY}, -1, article, sum(amount), sum(quantity) {_WHERE} AND article NOT IN :sales "
             "GROUP BY month, article"),
}
_PACKED = np.dtype([("day", ">i4"), ("sku", ">i8"), ("article", ">i2"), ("amount", ">i8"), ("quantity", ">i8")])


_NAMES = ("day", "sku", "article", "amount", "quantity")


def _group(rows: np.ndarray, by: int, fill: int) -> np.ndarray:
    """Σ amount and Σ quantity of `rows` by (column `by`, article); the third key column is set to `fill`."""
    keys, inverse = np.unique((rows[:, by] << 8) | rows[:, 2], return_inverse=True)  # article < 256
    out = np.empty((len(keys), 5), np.int64)
    out[:, by], out[:, 1 - by], out[:, 2] = keys >> 8, fill, keys & 0xFF
    out[:, 3:] = 0
    np.add.at(out[:, 3], inverse.ravel(), rows[:, 3])
    np.add.at(out[:, 4], inverse.ravel(), rows[:, 4])
    return out


def shaped(rows: np.ndarray, shape: str, sales: Sequence[int]) -> np.ndarray:
    """The plain monthly rows pre-aggregated exactly as the `_SHAPES` queries do (same rows, any order)."""
    is_sale = np.isin(rows[:, 2], np.asarray(sales, np.int64))
    other = rows[~is_sale]
    by_month = _group(other, 0, 0 if shape == "pnl" else -1)  # (day, article); sku = 0 or −1
    if shape == "pnl":
        return np.concatenate([rows[is_sale], by_month])
    by_sku = _group(other[other[:, 1] != 0], 1, -1)  # (sku, article) over the period; day = −1
    return np.concatenate([rows[is_sale], by_sku, by_month])


def cast_table(row: type) -> Table:
    return row.__table__  # type: ignore[attr-defined,no-any-return]


def _months_between(first: dt.date, last: dt.date) -> int:
    return (last.year - first.year) * 12 + last.month - first.month + 1


def _dialect(session: AsyncSession) -> str:
    return session.bind.dialect.name if session.bind is not None else ""


def _array(rows: Sequence[Sequence[int]]) -> np.ndarray:
    return np.array(rows, dtype=np.int64).reshape(-1, 5)


class ReportDataRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session
        self._stamps: dict[uuid.UUID, dict[int, int]] = {}  # shop → month day → stamp, as read by `monthly`

    async def shop_anywhere(self, shop_id: uuid.UUID) -> Shop | None:
        """A shop of any account: only for the operator's CLI (`stpulse report --shop ID`)."""
        row = await self.s.get(m.ShopRow, shop_id)
        return to_domain(row, Shop) if row else None

    async def monthly(self, shop_id: uuid.UUID, first: dt.date, last: dt.date, shape: str = "full",
                      sales: Sequence[int] = ()) -> np.ndarray:
        """Monthly rows, pre-aggregated for one report by `shape` (`pnl`/`unit`, see report_sources) on PostgreSQL.

        PostgreSQL reads the packs (rollup_packs) and keeps the shaped rows per process under the months' stamps;
        a period with a month not packed yet is read from the rows."""
        r = f.MonthlyRollupRow
        if self._postgres:
            known = await packs.stamps(self.s, shop_id, first, last)
            self._stamps.setdefault(shop_id, {}).update(known)
            if len(known) < _months_between(first, last):
                if shape in _SHAPES:
                    return await self._shaped(_SHAPES[shape], shop_id, first, last, sales)
                return await self._packed("sku_monthly_rollups", "month", shop_id, first, last, "")
            key = ("monthly", shape, shop_id, tuple(sorted(known.items())), tuple(sales))
            return await packs.cached(key, lambda: self._from_packs(shop_id, known, shape, sales))
        stmt = (select(_day_number(self.s, r.month), r.sku, r.article, r.amount, r.quantity)
                .where(r.shop_id == shop_id, r.month >= first, r.month <= last))
        return _array((await self.s.execute(stmt)).all())

    async def _from_packs(self, shop_id: uuid.UUID, known: dict[int, int], shape: str,
                          sales: Sequence[int]) -> np.ndarray:
        parts = await packs.packed_months(self.s, shop_id, known)
        rows = np.concatenate(parts) if parts else _array([])
        return shaped(rows, shape, sales) if shape in _SHAPES else rows

    async def _shaped(self, inner: str, shop_id: uuid.UUID, first: dt.date, last: dt.date,
                      sales: Sequence[int]) -> np.ndarray:
        sql = (f"SELECT string_agg(int4send(d::int4) || int8send(s::int8) || int2send(a::int2) || int8send(m::int8) || "
               f"int8send(q::int8), ''::bytea) FROM ({inner}) g")
        stmt = text(sql).bindparams(bindparam("sales", expanding=True))
        await self.s.execute(text("SET LOCAL work_mem = '32MB'"))  # the SKU grouping stays in memory
        packed = (await self.s.execute(stmt, {"shop": shop_id, "first": first, "last": last,
                                              "sales": list(sales)})).scalar()
        rows = np.frombuffer(packed or b"", dtype=_PACKED)
        return np.column_stack([rows[name].astype(np.int64) for name in _NAMES]).reshape(-1, 5)

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
            stmt = stmt.bindparams(bindparam("skus", expanding=True), bindparam("arts", expanding=True))
        packed = (await self.s.execute(stmt, {"shop": shop_id, "first": first, "last": last, **params})).scalar()
        rows = np.frombuffer(packed or b"", dtype=_PACKED)
        return np.column_stack([rows[name].astype(np.int64) for name in _NAMES]).reshape(-1, 5)

    async def daily(self, shop_id: uuid.UUID, first: dt.date, last: dt.date, skus: Sequence[int],
                    articles: Sequence[int]) -> np.ndarray:
        if not skus:
            return _array([])
        r = f.DailyRollupRow
        if self._postgres:
            load = lambda: self._packed("sku_daily_rollups", "day", shop_id, first, last,  # noqa: E731
                                        "AND sku IN :skus AND article IN :arts", skus=list(skus), arts=list(articles))
            stamp = self._stamps.get(shop_id, {}).get(int((first.replace(day=1) - EPOCH).days))
            if stamp is None or first.replace(day=1) != last.replace(day=1):
                return await load()
            # a month's daily rows change only together with its monthly rows, i.e. with its pack's stamp
            return await packs.cached(("daily", shop_id, first, last, stamp, tuple(skus), tuple(articles)), load)
        stmt = (select(_day_number(self.s, r.day), r.sku, r.article, r.amount, r.quantity)
                .where(r.shop_id == shop_id, r.day >= first, r.day <= last, r.sku.in_(list(skus)),
                       r.article.in_(list(articles))))
        return _array((await self.s.execute(stmt)).all())

    async def catalog(self, shop_ids: Sequence[uuid.UUID]) -> list[CatalogItem]:
        """The shops' products as the sync stored them (`ozon_products`): offer_id ↔ SKU (kept per fingerprint of the rows)."""
        digest = content_cache.digest("ozon_products", "product_id, sku, length(offer_id), offer_id, length(name), name",
                                      "shop_id = :shop")
        out: list[CatalogItem] = []
        for shop_id in shop_ids:
            out += await content_cache.cached(self.s, "catalog", digest, {"shop": shop_id},
                                              lambda shop_id=shop_id: self._products(shop_id))  # type: ignore[misc]
        return out

    async def _products(self, shop_id: uuid.UUID) -> tuple[CatalogItem, ...]:
        p = cast_table(mo.ProductRow)  # Core columns: no ORM rows, no UUID per row
        stmt = select(p.c.sku, p.c.offer_id, p.c.name).where(p.c.shop_id == shop_id)
        return tuple(CatalogItem(shop_id=shop_id, sku=int(k), offer_id=o, name=n or "")
                     for k, o, n in (await self.s.execute(stmt)).all())

    async def lines(self, shop_ids: Sequence[uuid.UUID], first: dt.date, last: dt.date, where: LineFilter,
                    offset: int, limit: int) -> tuple[list[AccrualLine], int]:
        line = f.AccrualLineRow
        cond = and_(line.shop_id.in_(list(shop_ids)), line.date >= first, line.date <= last, _matches(where))
        total = (await self.s.execute(select(func.count()).where(cond))).scalar_one()
        stmt = select(line).where(cond).order_by(line.date, line.accrual_id, line.line_no).offset(offset).limit(limit)
        rows = (await self.s.execute(stmt)).scalars()
        return [_line(r) for r in rows], int(total)


def _matches(w: LineFilter) -> Any:
    line = f.AccrualLineRow
    if w.component == "sale":
        return and_(line.component == "sale", line.amount >= 0 if w.sign >= 0 else line.amount < 0)
    if w.component == "commission":
        return line.component == "commission"
    if w.other_than is not None:
        known = list(w.other_than)
        return and_(line.component == "service", or_(line.type_id.is_(None), line.type_id.notin_(known)))
    if not w.type_ids:
        return false()
    return and_(line.component == "service", line.type_id.in_(list(w.type_ids)))


def _line(r: f.AccrualLineRow) -> AccrualLine:
    return AccrualLine(accrual_id=r.accrual_id, line_no=r.line_no, date=r.date, category=r.category,
                       unit_number=r.unit_number, sku=r.sku, component=Component(r.component), type_id=r.type_id,
                       amount=r.amount, quantity=r.quantity, delivery_schema=r.delivery_schema)
