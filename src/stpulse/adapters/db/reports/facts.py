"""What Операционка and Возвраты read: posting lines, sales per day, return records with the accruals of their
posting, the latest stock, and the stamps of those tables (the finished-table cache keys)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

import numpy as np
from sqlalchemy import (
    BigInteger,
    Date,
    Integer,
    String,
    Uuid,
    and_,
    case,
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
from stpulse.adapters.db.reports.orders import order_arrays
from stpulse.application.reports.facts_ports import PostingLine, ReturnLine
from stpulse.domain.ledger.articles import RETURNS, REVENUE

# the sync's own tables (adapters/db/ozon) as this reader sees them: only the columns it reads
_R = table("ozon_returns", column("shop_id", Uuid()), column("return_id", BigInteger()),
           column("posting_number", String()), column("sku", BigInteger()), column("quantity", Integer()),
           column("type", String()), column("reason", String()), column("returned_day", Date()),
           column("price", BigInteger()), column("status", String()))
_S = table("ozon_stock_snapshots", column("shop_id", Uuid()), column("day", Date()), column("sku", BigInteger()),
           column("available", BigInteger()))
It, D, R, S = f.PostingItemRow, f.DailyRollupRow, _R.c, _S.c


class ReportFactsRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def _no_jit(self) -> None:
        """These scans and per-return probes run once per computed table: PostgreSQL's JIT would spend longer
        compiling them (~0.9 s of 1.5 s for a large year's returns) than it saves. For this transaction only."""
        if self.s.bind is not None and self.s.bind.dialect.name == "postgresql":
            await self.s.execute(text("SET LOCAL jit = off"))

    async def order_arrays(self, shop_ids: Sequence[uuid.UUID], first: dt.date, last: dt.date,
                           by_day: bool = True, by_month: bool = False,
                           skus: Sequence[int] = ()) -> dict[uuid.UUID, np.ndarray]:
        """Per shop: (day number, sku, cancelled, units, kopecks) per day, per month (`by_month`: dated on the
        month's first day), or (`by_day` false) over the whole period, dated on `first` (adapters/db/reports/orders)."""
        await self._no_jit()
        return await order_arrays(self.s, shop_ids, first, last, by_day, by_month, skus)

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
