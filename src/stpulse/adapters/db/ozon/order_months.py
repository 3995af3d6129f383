"""`ozon_order_months`, the posting lines summed per shop, month and SKU: rebuilt from `ozon_posting_items` for the
months a postings write touched (a delete and an INSERT … SELECT … GROUP BY per month, in the writer's
transaction), so it always equals the lines. ОПиУ's estimate and Операционка by month read it
(adapters/db/reports/facts.py)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from stpulse.adapters.db import bulk
from stpulse.adapters.db.arrays import among
from stpulse.adapters.db.ledger import models as f

ITEMS, ORDER_MONTHS = bulk.table_of(f.PostingItemRow), bulk.table_of(f.OrderMonthRow)
_COLS = ("shop_id", "month", "sku", "ordered_units", "ordered_amount", "cancelled_units", "cancelled_amount")


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


async def refresh_order_months(session: AsyncSession, shop_id: uuid.UUID, months: Iterable[dt.date]) -> None:
    """Rebuild the shop's rows of these months (each given by any of its days) from its posting lines."""
    it = ITEMS.c
    cancelled = it.status.like("cancelled%")
    amount = it.quantity * it.price
    for month in sorted({month_of(m) for m in months}):
        await session.execute(sa.delete(ORDER_MONTHS).where(ORDER_MONTHS.c.shop_id == shop_id,
                                                            ORDER_MONTHS.c.month == month))
        source = (sa.select(it.shop_id, sa.literal(month, sa.Date), it.sku, sa.func.sum(it.quantity),
                            sa.func.sum(amount), sa.func.sum(sa.case((cancelled, it.quantity), else_=0)),
                            sa.func.sum(sa.case((cancelled, amount), else_=0)))
                  .where(it.shop_id == shop_id, it.created_day.between(month, month_end(month)))
                  .group_by(it.shop_id, it.sku))
        await session.execute(sa.insert(ORDER_MONTHS).from_select(list(_COLS), source))


async def months_of_postings(session: AsyncSession, shop_id: uuid.UUID, numbers: Iterable[str]) -> set[dt.date]:
    """The months the stored lines of these postings were created in (a re-write may move a line's day)."""
    stmt = sa.select(ITEMS.c.created_day).distinct().where(ITEMS.c.shop_id == shop_id,
                                                           among(session, ITEMS.c.posting_number, list(numbers)))
    return {month_of(d) for d in (await session.execute(stmt)).scalars()}
