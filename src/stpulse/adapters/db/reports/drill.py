"""The accrual lines behind a report row: a page of them, their subtotals by type or SKU, and all of them in
chunks for the xlsx export (a server-side cursor on PostgreSQL, so memory stays bounded)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator, Sequence
from typing import Any

from sqlalchemy import and_, false, func, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from stpulse.adapters.db.arrays import among
from stpulse.adapters.db.ledger import models as f
from stpulse.application.reports.ports import LineFilter, LineSum
from stpulse.domain.ledger.accruals import AccrualLine, Component


class DrillQueries:
    s: AsyncSession

    async def lines(self, shop_ids: Sequence[uuid.UUID], first: dt.date, last: dt.date, where: LineFilter,
                    offset: int, limit: int) -> tuple[list[AccrualLine], int]:
        line = f.AccrualLineRow
        cond = _condition(self.s, shop_ids, first, last, where)
        total = (await self.s.execute(select(func.count()).where(cond))).scalar_one()
        stmt = select(line).where(cond).order_by(line.date, line.accrual_id, line.line_no).offset(offset).limit(limit)
        rows = (await self.s.execute(stmt)).scalars()
        return [_line(r) for r in rows], int(total)

    async def line_sums(self, shop_ids: Sequence[uuid.UUID], first: dt.date, last: dt.date,
                        where: LineFilter) -> list[LineSum]:
        line = f.AccrualLineRow
        stmt = (select(line.type_id, line.sku, func.count(), func.sum(line.quantity), func.sum(line.amount))
                .where(_condition(self.s, shop_ids, first, last, where)).group_by(line.type_id, line.sku))
        return [LineSum(type_id=t, sku=k, lines=int(n), quantity=int(q or 0), amount=int(a or 0))
                for t, k, n, q, a in (await self.s.execute(stmt)).all()]

    async def line_chunks(self, shop_ids: Sequence[uuid.UUID], first: dt.date, last: dt.date, where: LineFilter,
                          size: int) -> AsyncIterator[list[AccrualLine]]:
        line = f.AccrualLineRow
        stmt = (select(line).where(_condition(self.s, shop_ids, first, last, where))
                .order_by(line.date, line.accrual_id, line.line_no).execution_options(yield_per=size))
        result = await self.s.stream_scalars(stmt)
        async for part in result.partitions(size):
            yield [_line(r) for r in part]


def _condition(session: AsyncSession, shop_ids: Sequence[uuid.UUID], first: dt.date, last: dt.date,
               where: LineFilter) -> Any:
    line = f.AccrualLineRow
    return and_(among(session, line.shop_id, shop_ids), line.date >= first, line.date <= last,
                _matches(session, where), _narrowed(where))


def _narrowed(w: LineFilter) -> Any:
    """The user's filters: 0 picks the lines without a SKU or a type."""
    line, parts = f.AccrualLineRow, []
    if w.sku is not None:
        parts.append(line.sku.is_(None) | (line.sku == 0) if w.sku == 0 else line.sku == w.sku)
    if w.type_id is not None:
        parts.append(line.type_id.is_(None) if w.type_id == 0 else line.type_id == w.type_id)
    if w.posting:
        parts.append(line.unit_number == w.posting)
    return and_(true(), *parts)


def _matches(session: AsyncSession, w: LineFilter) -> Any:
    line = f.AccrualLineRow
    if w.component == "sale":
        return and_(line.component == "sale", line.amount >= 0 if w.sign >= 0 else line.amount < 0)
    if w.component == "commission":
        return line.component == "commission"
    if w.other_than is not None:
        known = list(w.other_than)
        return and_(line.component == "service", or_(line.type_id.is_(None), ~among(session, line.type_id, known)))
    if not w.type_ids:
        return false()
    return and_(line.component == "service", among(session, line.type_id, w.type_ids))


def _line(r: f.AccrualLineRow) -> AccrualLine:
    return AccrualLine(accrual_id=r.accrual_id, line_no=r.line_no, date=r.date, category=r.category,
                       unit_number=r.unit_number, sku=r.sku, component=Component(r.component), type_id=r.type_id,
                       amount=r.amount, quantity=r.quantity, delivery_schema=r.delivery_schema)
