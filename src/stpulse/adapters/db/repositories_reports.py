"""What the reports read: rollup rows as int64 arrays, the catalogue, the accrual lines behind a P&L line."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

import numpy as np
from sqlalchemy import and_, bindparam, false, func, literal_column, or_, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from stpulse.adapters.db import models as m
from stpulse.adapters.db import models_facts as f
from stpulse.adapters.db.mapping import to_domain
from stpulse.application.money_ports import CatalogItem, LineFilter
from stpulse.domain.accruals import AccrualLine, Component
from stpulse.domain.shops import Shop


def _day_number(session: AsyncSession, column: Any) -> Any:
    """A date column as days since 1970-01-01, computed by the database (no date objects in Python)."""
    if session.bind.dialect.name == "postgresql":
        return (column - literal_column("DATE '1970-01-01'")).label("d")
    return func.cast(func.julianday(column) - 2440587.5, literal_column("INTEGER")).label("d")


_PACKED = np.dtype([("day", ">i4"), ("sku", ">i8"), ("article", ">i2"), ("amount", ">i8"), ("quantity", ">i8")])


def _array(rows: Sequence[Sequence[int]]) -> np.ndarray:
    return np.array(rows, dtype=np.int64).reshape(-1, 5)


class ReportDataRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def shop_anywhere(self, shop_id: uuid.UUID) -> Shop | None:
        """A shop of any account: only for the operator's CLI (`stpulse report --shop ID`)."""
        row = await self.s.get(m.ShopRow, shop_id)
        return to_domain(row, Shop) if row else None

    async def monthly(self, shop_id: uuid.UUID, first: dt.date, last: dt.date) -> np.ndarray:
        r = f.MonthlyRollupRow
        if self._postgres:
            return await self._packed("sku_monthly_rollups", "month", shop_id, first, last, "")
        stmt = (select(_day_number(self.s, r.month), r.sku, r.article, r.amount, r.quantity)
                .where(r.shop_id == shop_id, r.month >= first, r.month <= last))
        return _array((await self.s.execute(stmt)).all())

    @property
    def _postgres(self) -> bool:
        return self.s.bind.dialect.name == "postgresql"

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
        return np.column_stack([rows[name].astype(np.int64) for name in _PACKED.names]).reshape(-1, 5)

    async def daily(self, shop_id: uuid.UUID, first: dt.date, last: dt.date, skus: Sequence[int],
                    articles: Sequence[int]) -> np.ndarray:
        if not skus:
            return _array([])
        r = f.DailyRollupRow
        if self._postgres:
            return await self._packed("sku_daily_rollups", "day", shop_id, first, last,
                                      "AND sku IN :skus AND article IN :arts", skus=list(skus), arts=list(articles))
        stmt = (select(_day_number(self.s, r.day), r.sku, r.article, r.amount, r.quantity)
                .where(r.shop_id == shop_id, r.day >= first, r.day <= last, r.sku.in_(list(skus)),
                       r.article.in_(list(articles))))
        return _array((await self.s.execute(stmt)).all())

    async def catalog(self, shop_ids: Sequence[uuid.UUID]) -> list[CatalogItem]:
        """Products of the sync (`products` table: shop_id, sku, offer_id, name); none before it exists."""
        if not shop_ids:
            return []
        stmt = text("SELECT shop_id, sku, offer_id, name FROM products WHERE shop_id IN :ids").bindparams(
            bindparam("ids", expanding=True))
        try:
            async with self.s.begin_nested():
                rows = (await self.s.execute(stmt, {"ids": list(shop_ids)})).all()
        except DBAPIError:
            return []
        return [CatalogItem(shop_id=_uuid(s), sku=int(k), offer_id=str(o), name=str(n or "")) for s, k, o, n in rows]

    async def lines(self, shop_ids: Sequence[uuid.UUID], first: dt.date, last: dt.date, where: LineFilter,
                    offset: int, limit: int) -> tuple[list[AccrualLine], int]:
        line = f.AccrualLineRow
        cond = and_(line.shop_id.in_(list(shop_ids)), line.date >= first, line.date <= last, _matches(where))
        total = (await self.s.execute(select(func.count()).where(cond))).scalar_one()
        stmt = select(line).where(cond).order_by(line.date, line.accrual_id, line.line_no).offset(offset).limit(limit)
        rows = (await self.s.execute(stmt)).scalars()
        return [_line(r) for r in rows], int(total)


def _uuid(value: Any) -> uuid.UUID:
    if isinstance(value, uuid.UUID):
        return value
    return uuid.UUID(bytes=value) if isinstance(value, bytes) else uuid.UUID(str(value))


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
