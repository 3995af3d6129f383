"""What Операционка and Возвраты read: posting lines, sales per day, return records with the accruals of their
posting, the latest stock, and the stamps of those tables (the finished-table cache keys)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    BigInteger,
    Date,
    Integer,
    String,
    Uuid,
    and_,
    case,
    cast,
    column,
    func,
    literal,
    select,
    table,
    text,
)
from sqlalchemy.ext.asyncio import AsyncSession

from stpulse.adapters.db.arrays import among
from stpulse.adapters.db.ledger import models as f
from stpulse.application.reports.facts_ports import PostingLine, ReturnLine
from stpulse.domain.ledger.articles import RETURNS, REVENUE

# the sync's own tables (adapters/db/ozon) as this reader sees them: only the columns it reads
_R = table("ozon_returns", column("shop_id", Uuid()), column("return_id", BigInteger()),
           column("posting_number", String()), column("sku", BigInteger()), column("quantity", Integer()),
           column("type", String()), column("reason", String()), column("returned_day", Date()),
           column("price", BigInteger()), column("status", String()))
_S = table("ozon_stock_snapshots", column("shop_id", Uuid()), column("day", Date()), column("sku", BigInteger()),
           column("available", BigInteger()))
It, D, R, S, Om = f.PostingItemRow, f.DailyRollupRow, _R.c, _S.c, f.OrderMonthRow


class ReportFactsRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def _no_jit(self) -> None:
        """These scans and per-return probes run once per computed table: PostgreSQL's JIT would spend longer
        compiling them (~0.9 s of 1.5 s for a large year's returns) than it saves. For this transaction only."""
        if self.s.bind is not None and self.s.bind.dialect.name == "postgresql":
            await self.s.execute(text("SET LOCAL jit = off"))

    async def order_rows(self, shop_ids: Sequence[uuid.UUID], first: dt.date, last: dt.date,
                         by_day: bool = True, by_month: bool = False,
                         skus: Sequence[int] = ()) -> list[tuple[uuid.UUID, int, dt.date, bool, int, int]]:
        """Per day, per month (`by_month`: dated on the month's first day), or (`by_day` false) over the whole
        period, dated on `first`."""
        await self._no_jit()
        if (by_month or not by_day) and first.day == 1 and (last + dt.timedelta(days=1)).day == 1 and not skus:
            return await self._order_months(shop_ids, first, last, by_month)  # whole months
        cancelled = It.status.like("cancelled%")
        day: Any = It.created_day
        if by_month:
            postgres = self.s.bind is not None and self.s.bind.dialect.name == "postgresql"
            day = (cast(func.date_trunc("month", It.created_day), Date) if postgres
                   else func.date(It.created_day, "start of month"))
            by_day = True
        keys = [It.shop_id, It.sku, cancelled, *([day] if by_day else [])]
        stmt = (select(*keys, func.sum(It.quantity), func.sum(It.quantity * It.price))
                .where(among(self.s, It.shop_id, shop_ids), It.created_day >= first, It.created_day <= last,
                       *([among(self.s, It.sku, skus)] if skus else []))
                .group_by(*keys))
        rows: list[Any] = list((await self.s.execute(stmt)).all())
        if by_day:
            return [(r[0], int(r[1]), r[3] if isinstance(r[3], dt.date) else dt.date.fromisoformat(r[3]), bool(r[2]),
                     int(r[4] or 0), int(r[5] or 0)) for r in rows]
        return [(r[0], int(r[1]), first, bool(r[2]), int(r[3] or 0), int(r[4] or 0)) for r in rows]

    async def _order_months(self, shop_ids: Sequence[uuid.UUID], first: dt.date, last: dt.date,
                            by_month: bool) -> list[tuple[uuid.UUID, int, dt.date, bool, int, int]]:
        """The same rows from `ozon_order_months` (the writer keeps it equal to the lines): per month, or summed
        over the months and dated on `first`; a month's uncancelled part and its cancelled part, each when any."""
        where = (among(self.s, Om.shop_id, shop_ids), Om.month >= first, Om.month <= last)
        counts = (Om.ordered_units, Om.ordered_amount, Om.cancelled_units, Om.cancelled_amount)
        if by_month:  # a row per shop, month and SKU already (the primary key): no grouping
            stmt: Any = select(Om.shop_id, Om.sku, *counts, Om.month).where(*where)
        else:  # summed as bigint (a numeric sum would come back as Decimals)
            stmt = (select(Om.shop_id, Om.sku, *(cast(func.sum(c), BigInteger) for c in counts))
                    .where(*where).group_by(Om.shop_id, Om.sku))
        out: list[tuple[uuid.UUID, int, dt.date, bool, int, int]] = []
        for r in (await self.s.execute(stmt)).tuples():
            day = r[6] if by_month else first
            day = day if isinstance(day, dt.date) else dt.date.fromisoformat(day)
            units, amount, gone, gone_amount = int(r[2]), int(r[3]), int(r[4]), int(r[5])
            if units - gone or amount - gone_amount or not (gone or gone_amount):
                out.append((r[0], int(r[1]), day, False, units - gone, amount - gone_amount))
            if gone or gone_amount:
                out.append((r[0], int(r[1]), day, True, gone, gone_amount))
        return out

    async def sales_rows(self, shop_ids: Sequence[uuid.UUID], first: dt.date,
                         last: dt.date) -> list[tuple[uuid.UUID, int, dt.date, int, int, int, int]]:
        await self._no_jit()
        sale = D.article == REVENUE
        stmt = (select(D.shop_id, D.sku, D.day,
                       func.sum(case((sale, D.quantity), else_=0)), func.sum(case((sale, D.amount), else_=0)),
                       func.sum(case((sale, 0), else_=D.quantity)), func.sum(case((sale, 0), else_=-D.amount)))
                .where(among(self.s, D.shop_id, shop_ids), D.day >= first, D.day <= last, D.sku > 0,
                       D.article.in_([REVENUE, RETURNS]))
                .group_by(D.shop_id, D.sku, D.day))
        return [(a, int(b), c, int(d), int(e), int(g), int(h)) for a, b, c, d, e, g, h in (await self.s.execute(stmt)).all()]

    async def return_lines(self, shop_ids: Sequence[uuid.UUID], first: dt.date, last: dt.date,
                           logistics_types: Sequence[int], compensation_types: Sequence[int]) -> list[ReturnLine]:
        """Each return with Σ of the service lines of its posting and SKU of the given types (index probes on
        ix_accrual_lines_shop_posting)."""
        line = f.AccrualLineRow
        await self._no_jit()

        def money(types: Sequence[int]):  # type: ignore[no-untyped-def]
            if not types:
                return literal(0)
            return (select(func.coalesce(func.sum(line.amount), 0))
                    .where(line.shop_id == R.shop_id, line.unit_number == R.posting_number, line.sku == R.sku,
                           line.component == "service", line.type_id.in_(list(types)))
                    .scalar_subquery())

        stmt = (select(R.shop_id, R.sku, R.returned_day, R.type, R.reason, R.status, R.quantity, R.price,
                       money(logistics_types), money(compensation_types), R.return_id)
                .where(among(self.s, R.shop_id, shop_ids), R.returned_day >= first, R.returned_day <= last))
        rows = (await self.s.execute(stmt)).all()
        out = []
        for shop, sku, day, kind, reason, status, qty, price, logistics, comp, _ in sorted(rows, key=lambda r: r[10]):
            out.append(ReturnLine(shop_id=shop, sku=int(sku), day=day, type=kind, reason=reason, status=status,
                                  quantity=int(qty), price=int(price), logistics=int(logistics or 0),
                                  compensation=int(comp or 0)))
        return out

    async def stock_left(self, shop_ids: Sequence[uuid.UUID],
                         last: dt.date) -> tuple[dt.date | None, list[tuple[uuid.UUID, int, int]]]:
        latest = (select(S.shop_id, func.max(S.day).label("day"))
                  .where(among(self.s, S.shop_id, shop_ids), S.day <= last).group_by(S.shop_id).subquery())
        stmt = (select(S.shop_id, S.sku, func.sum(S.available), latest.c.day).select_from(_S)
                .join(latest, and_(S.shop_id == latest.c.shop_id, S.day == latest.c.day))
                .group_by(S.shop_id, S.sku, latest.c.day))
        rows = (await self.s.execute(stmt)).all()
        day = max((r[3] for r in rows), default=None)
        return day, [(a, int(b), int(c or 0)) for a, b, c, _ in rows]

    async def postings(self, shop_ids: Sequence[uuid.UUID], first: dt.date, last: dt.date, sku: int | None,
                       cancelled: bool | None, offset: int, limit: int) -> tuple[list[PostingLine], int]:
        where = [among(self.s, It.shop_id, shop_ids), It.created_day >= first, It.created_day <= last]
        if sku is not None:
            where.append(It.sku == sku)
        if cancelled is not None:
            where.append(It.status.like("cancelled%") if cancelled else ~It.status.like("cancelled%"))
        count = int((await self.s.execute(select(func.count()).select_from(It).where(*where))).scalar_one())
        stmt = (select(It.shop_id, It.posting_number, It.created_day, It.status, It.sku, It.quantity, It.price)
                .where(*where).order_by(It.created_day.desc(), It.posting_number, It.line).offset(offset).limit(limit))
        return [PostingLine(shop_id=a, posting_number=b, created_day=c, status=d, sku=int(e), quantity=int(g),
                            price=int(h)) for a, b, c, d, e, g, h in (await self.s.execute(stmt)).all()], count

    async def fact_stamps(self, shop_ids: Sequence[uuid.UUID]) -> str:
        t = f.FactStampRow
        stmt = (select(t.shop_id, t.source, t.stamp).where(among(self.s, t.shop_id, shop_ids))
                .order_by(t.shop_id, t.source))
        return ",".join(f"{a}/{b}/{c}" for a, b, c in (await self.s.execute(stmt)).all())
