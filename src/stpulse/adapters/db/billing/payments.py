"""SQL repository of payments: our record of every intent to pay, and the admin's filtered list with totals."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from stpulse.adapters.db.billing import models as b
from stpulse.adapters.db.mapping import apply, row_values, to_domain
from stpulse.application.billing.records import PaymentQuery, PaymentRecord, PaymentState, PaymentTotals


def _payment(row: b.PaymentRow) -> PaymentRecord:
    return to_domain(row, PaymentRecord, created_at=row.opened_at)


class PaymentRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def add(self, payment: PaymentRecord) -> None:
        values = row_values(payment)
        values["opened_at"] = values.pop("created_at")
        self.s.add(b.PaymentRow(**values))
        await self.s.flush()

    async def update(self, payment: PaymentRecord) -> None:
        row = await self.s.get(b.PaymentRow, payment.id)
        if row is not None:
            apply(row, row_values(payment), skip=("id", "created_at"))
            await self.s.flush()

    async def get(self, payment_id: uuid.UUID, *, for_update: bool = False) -> PaymentRecord | None:
        row = await self.s.get(b.PaymentRow, payment_id, with_for_update=for_update or None, populate_existing=True)
        return _payment(row) if row else None

    async def by_gateway_id(self, gateway_id: str) -> PaymentRecord | None:
        stmt = select(b.PaymentRow).where(b.PaymentRow.gateway_id == gateway_id)
        row = (await self.s.execute(stmt)).scalar_one_or_none()
        return _payment(row) if row else None

    async def by_key(self, idempotency_key: str) -> PaymentRecord | None:
        stmt = select(b.PaymentRow).where(b.PaymentRow.idempotency_key == idempotency_key)
        row = (await self.s.execute(stmt)).scalar_one_or_none()
        return _payment(row) if row else None

    async def for_user(self, user_id: uuid.UUID) -> list[PaymentRecord]:
        stmt = select(b.PaymentRow).where(b.PaymentRow.user_id == user_id).order_by(b.PaymentRow.opened_at.desc())
        return [_payment(r) for r in (await self.s.execute(stmt)).scalars()]

    async def search(self, query: PaymentQuery, offset: int, limit: int) -> tuple[list[PaymentRecord], PaymentTotals]:
        where = _conditions(query)
        p = b.PaymentRow
        settled = p.state.in_((PaymentState.SUCCEEDED.value, PaymentState.REFUNDED.value))
        totals = (await self.s.execute(select(
            func.count(), func.coalesce(func.sum(p.amount), 0),
            func.coalesce(func.sum(case((settled, p.amount - p.refunded_amount), else_=0)), 0),
            func.coalesce(func.sum(p.refunded_amount), 0)).where(*where))).one()
        stmt = select(p).where(*where).order_by(p.opened_at.desc(), p.id.desc()).offset(offset).limit(limit)
        items = [_payment(r) for r in (await self.s.execute(stmt)).scalars()]
        return items, PaymentTotals(count=int(totals[0]), amount=int(totals[1]), paid=int(totals[2]),
                                    refunded=int(totals[3]))


def _conditions(query: PaymentQuery) -> list[Any]:
    p, where = b.PaymentRow, []
    if query.state is not None:
        where.append(p.state == query.state.value)
    if query.tariff_code:
        where.append(p.tariff_code == query.tariff_code)
    if query.since is not None:
        where.append(p.opened_at >= query.since)
    if query.until is not None:
        where.append(p.opened_at < query.until)
    return where
