"""Ozon's settlement documents: written by the sync (replace by natural key), read by the reports and ДДС.

The tables are small (a row per shop and day, period, month or realization row), so writes are delete + insert
of the keys an answer covers, on both PostgreSQL and SQLite."""

from __future__ import annotations

import datetime as dt
import uuid
import zlib
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncSession

from stpulse.adapters.db.ledger import settlement_copies as copies
from stpulse.adapters.db.ledger import settlement_models as m
from stpulse.application.ledger.settlement import (
    AccrualDaySums,
    CashFlowTotals,
    DailyBalance,
    DailyPayout,
    RealizationHeader,
    RealizationLine,
    RealizationTotals,
    SettlementReads,
)

_LINE_FIELDS = ("row_number", "sku", "offer_id", "name", "delivered_qty", "delivered_amount", "delivered_fee",
                "delivered_total", "returned_qty", "returned_amount", "returned_fee", "returned_total")


def _z(raw: bytes) -> bytes:
    return zlib.compress(raw, 6)


def _lines(shop_id: uuid.UUID, kind: str, day: dt.date, lines: Sequence[RealizationLine]) -> list[dict[str, Any]]:
    return [{"shop_id": shop_id, "kind": kind, "day": day, **{f: getattr(x, f) for f in _LINE_FIELDS},
             "raw": _z(x.raw)} for x in lines]


class SettlementRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    def _of(self, column: Any, shop_ids: Sequence[uuid.UUID]) -> Any:
        """`column` among the shops: one array parameter on PostgreSQL, so the statement (and its plan) stays the
        same however many shops are chosen."""
        if self.s.get_bind().dialect.name == "postgresql":
            ids = sa.bindparam(None, list(shop_ids), type_=postgresql.ARRAY(postgresql.UUID(as_uuid=True)))
            return column == sa.any_(ids)
        return column.in_(list(shop_ids))

    async def _insert(self, model: Any, rows: list[dict[str, Any]]) -> None:
        for start in range(0, len(rows), 2000):
            await self.s.execute(sa.insert(model), rows[start:start + 2000])

    # ---- writes (the sync)
    async def save_realization(self, shop_id: uuid.UUID, month: dt.date, header: RealizationHeader,
                               lines: Sequence[RealizationLine]) -> None:
        r, x = m.RealizationReportRow, m.RealizationLineRow
        await self.s.execute(sa.delete(r).where(r.shop_id == shop_id, r.month == month))
        await self.s.execute(sa.delete(x).where(x.shop_id == shop_id, x.kind == "month", x.day == month))
        await self._insert(r, [{"shop_id": shop_id, "month": month, "number": header.number[:64],
                                "doc_date": header.doc_date[:32], "rows": len(lines), "raw": _z(header.raw),
                                "delivered": sum(x.delivered_total for x in lines),
                                "returned": -sum(x.returned_total for x in lines),
                                "sales": sum(x.delivered_amount - x.returned_amount for x in lines)}])
        await self._insert(x, _lines(shop_id, "month", month, lines))

    async def save_realization_day(self, shop_id: uuid.UUID, day: dt.date, lines: Sequence[RealizationLine]) -> None:
        x = m.RealizationLineRow
        await self.s.execute(sa.delete(x).where(x.shop_id == shop_id, x.kind == "day", x.day == day))
        await self._insert(x, _lines(shop_id, "day", day, lines))

    async def save_cash_flow(self, shop_id: uuid.UUID, periods: Sequence[CashFlowTotals]) -> None:
        c = m.CashFlowPeriodRow
        ids = sorted({p.period_id for p in periods})
        for start in range(0, len(ids), 100):
            await self.s.execute(sa.delete(c).where(c.shop_id == shop_id, c.period_id.in_(ids[start:start + 100])))
        await self._insert(c, [{"shop_id": shop_id, "period_id": p.period_id, "first_day": p.first_day,
                                "last_day": p.last_day, "accrued": p.accrued, "invoice": p.invoice, "paid": p.paid,
                                "begin_balance": p.begin_balance, "end_balance": p.end_balance, "raw": _z(p.raw)}
                               for p in {p.period_id: p for p in periods}.values()])

    async def save_balances(self, shop_id: uuid.UUID, balances: Sequence[DailyBalance]) -> None:
        b = m.BalanceDayRow
        if not balances:
            return
        days = sorted(x.day for x in balances)
        await self.s.execute(sa.delete(b).where(b.shop_id == shop_id, b.day.between(days[0], days[-1])))
        await self._insert(b, [{"shop_id": shop_id, "day": x.day, "opening": x.opening, "accrued": x.accrued,
                                "paid": x.paid, "closing": x.closing, "lines": x.lines, "raw": _z(x.raw)}
                               for x in balances])

    async def refresh_day_sums(self, shop_id: uuid.UUID, first: dt.date, last: dt.date,
                               compensation_types: Sequence[int]) -> None:
        d = m.AccrualDaySumRow
        await self.s.execute(sa.delete(d).where(d.shop_id == shop_id, d.day.between(first, last)))
        types = ",".join(str(int(t)) for t in sorted(set(compensation_types))) or "-2"  # ints only: no injection
        comp = f"component = 'service' AND type_id IN ({types})"
        await self.s.execute(sa.text(
            "INSERT INTO ozon_accrual_day_sums (shop_id, day, total, delivered, returned, compensations, services) "
            "SELECT shop_id, date, sum(amount), "
            "sum(CASE WHEN (component = 'sale' AND amount > 0) OR (component = 'commission' AND amount < 0) "
            "THEN amount ELSE 0 END), "
            "sum(CASE WHEN (component = 'sale' AND amount < 0) OR (component = 'commission' AND amount > 0) "
            "THEN amount ELSE 0 END), "
            f"sum(CASE WHEN {comp} THEN amount ELSE 0 END), "
            f"sum(CASE WHEN component = 'service' AND NOT ({comp}) THEN amount "
            "WHEN component = 'service' AND type_id IS NULL THEN amount ELSE 0 END) "
            "FROM accrual_lines WHERE shop_id = :shop AND date BETWEEN :first AND :last GROUP BY shop_id, date"
        ).bindparams(sa.bindparam("shop", type_=m.AccrualDaySumRow.__table__.c.shop_id.type)),
            {"shop": shop_id, "first": first, "last": last})

    async def realization_months(self, shop_id: uuid.UUID) -> set[dt.date]:
        r = m.RealizationReportRow
        return set((await self.s.execute(sa.select(r.month).where(r.shop_id == shop_id))).scalars())

    async def balance_days(self, shop_id: uuid.UUID, first: dt.date, last: dt.date) -> set[dt.date]:
        b = m.BalanceDayRow
        query = sa.select(b.day).where(b.shop_id == shop_id, b.day.between(first, last))
        return set((await self.s.execute(query)).scalars())

    # ---- reads (reports, ДДС)
    async def payouts(self, shop_ids: Sequence[uuid.UUID], first: dt.date, last: dt.date) -> list[DailyPayout]:
        b = m.BalanceDayRow
        query = (sa.select(b.shop_id, b.day, b.paid, b.lines)
                 .where(self._of(b.shop_id, shop_ids), b.day.between(first, last), b.lines > 0)
                 .order_by(b.shop_id, b.day))
        return [DailyPayout(shop_id=r.shop_id, day=r.day, amount=r.paid, lines=r.lines)
                for r in await self.s.execute(query)]

    async def balances(self, shop_ids: Sequence[uuid.UUID], first: dt.date, last: dt.date) -> list[DailyBalance]:
        b = m.BalanceDayRow
        query = (sa.select(b.shop_id, b.day, b.opening, b.accrued, b.paid, b.closing, b.lines)
                 .where(self._of(b.shop_id, shop_ids), b.day.between(first, last)).order_by(b.shop_id, b.day))
        return [DailyBalance(shop_id=r.shop_id, day=r.day, opening=r.opening, accrued=r.accrued, paid=r.paid,
                             closing=r.closing, lines=r.lines) for r in await self.s.execute(query)]

    async def day_sums(self, shop_ids: Sequence[uuid.UUID], first: dt.date, last: dt.date) -> list[AccrualDaySums]:
        d = m.AccrualDaySumRow  # columns, not entities: a year of days is read on every report request (the badge)
        query = sa.select(d.shop_id, d.day, d.total, d.delivered, d.returned, d.compensations, d.services).where(
            self._of(d.shop_id, shop_ids), d.day.between(first, last))
        return [AccrualDaySums(shop_id=r[0], day=r[1], total=r[2], delivered=r[3], returned=r[4], compensations=r[5],
                               services=r[6]) for r in (await self.s.execute(query)).tuples()]

    async def realization_totals(self, shop_ids: Sequence[uuid.UUID], first: dt.date,
                                 last: dt.date) -> list[RealizationTotals]:
        r = m.RealizationReportRow
        query = sa.select(r.shop_id, r.month, r.delivered, r.returned, r.rows, r.sales).where(
            self._of(r.shop_id, shop_ids), r.month.between(first, last))
        return [RealizationTotals(shop_id=x.shop_id, month=x.month, delivered=x.delivered, returned=x.returned,
                                  rows=x.rows, sales=x.sales) for x in await self.s.execute(query)]

    async def cash_flow_totals(self, shop_ids: Sequence[uuid.UUID], first: dt.date,
                               last: dt.date) -> list[CashFlowTotals]:
        c = m.CashFlowPeriodRow
        query = sa.select(c.shop_id, c.period_id, c.first_day, c.last_day, c.accrued, c.invoice, c.paid,
                          c.begin_balance, c.end_balance).where(
            self._of(c.shop_id, shop_ids), c.first_day.between(first, last))
        return [CashFlowTotals(shop_id=x.shop_id, period_id=x.period_id, first_day=x.first_day,
                               last_day=x.last_day, accrued=x.accrued, invoice=x.invoice, paid=x.paid,
                               begin_balance=x.begin_balance, end_balance=x.end_balance)
                for x in await self.s.execute(query)]

    async def period_reads(self, shop_ids: Sequence[uuid.UUID], first: dt.date, last: dt.date,
                           sums_last: dt.date) -> SettlementReads:
        """The four reads of `read_settled` in one statement on PostgreSQL (every report request reads them for the
        badge): a row per item, tagged by the table it comes from; one by one elsewhere. The reconciliation reads of
        the accrual day sums only each month's total and its first two days, so PostgreSQL sends days 1 and 2 as they
        are and the rest of each month summed on its 3rd: three rows a month instead of thirty. When the report's
        fingerprint read the shops' settlement stamps in this transaction, the process's copy under them is used."""
        if self.s.get_bind().dialect.name != "postgresql":
            return SettlementReads(sums=await self.day_sums(shop_ids, first, sums_last),
                                   realization=await self.realization_totals(shop_ids, first, last),
                                   cash_flows=await self.cash_flow_totals(shop_ids, first, last),
                                   payouts=await self.payouts(shop_ids, first, last))
        stamps = copies.remembered(self.s, shop_ids)  # read by the report's fingerprint in this snapshot
        key = (tuple(shop_ids), first, last, sums_last, stamps)
        if stamps is not None and (copy := copies.get(key)) is not None:
            return copy
        out = SettlementReads(sums=[], realization=[], cash_flows=[], payouts=[])
        rows = await self.s.execute(_PERIOD_READS, {"shops": list(shop_ids), "first": first, "last": last,
                                                    "sums_last": sums_last})
        for tag, shop, d1, d2, a, b, c, d, e, f in rows.tuples():
            if tag == 0:
                out.sums.append(AccrualDaySums(shop_id=shop, day=d1, total=a, delivered=b, returned=c,
                                               compensations=d, services=e))
            elif tag == 1:
                out.realization.append(RealizationTotals(shop_id=shop, month=d1, delivered=a, returned=b, rows=c,
                                                         sales=d))
            elif tag == 2:
                out.cash_flows.append(CashFlowTotals(shop_id=shop, period_id=f, first_day=d1, last_day=d2,
                                                     accrued=a, invoice=b, paid=c, begin_balance=d, end_balance=e))
            else:
                out.payouts.append(DailyPayout(shop_id=shop, day=d1, amount=a, lines=b))
        if stamps is not None:
            copies.put(key, out)
        return out


_SHOPS = "shop_id = ANY(CAST(:shops AS uuid[]))"  # one array parameter: the same statement for any number of shops
_PERIOD_READS = sa.text(
    "SELECT 0, shop_id, CASE WHEN EXTRACT(DAY FROM day) <= 2 THEN day ELSE CAST(date_trunc('month', day) AS date) + 2 "
    "END AS bucket, NULL::date, CAST(sum(total) AS bigint), CAST(sum(delivered) AS bigint), "
    "CAST(sum(returned) AS bigint), CAST(sum(compensations) AS bigint), CAST(sum(services) AS bigint), NULL::bigint "
    f"FROM ozon_accrual_day_sums WHERE {_SHOPS} AND day BETWEEN :first AND :sums_last GROUP BY shop_id, bucket "
    "UNION ALL SELECT 1, shop_id, month, NULL, delivered, returned, rows, sales, NULL, NULL "
    f"FROM ozon_realization_reports WHERE {_SHOPS} AND month BETWEEN :first AND :last "
    "UNION ALL SELECT 2, shop_id, first_day, last_day, accrued, invoice, paid, begin_balance, end_balance, period_id "
    f"FROM ozon_cash_flow_periods WHERE {_SHOPS} AND first_day BETWEEN :first AND :last "
    "UNION ALL SELECT 3, shop_id, day, NULL, paid, lines, NULL, NULL, NULL, NULL "
    f"FROM ozon_balances WHERE {_SHOPS} AND day BETWEEN :first AND :last AND lines > 0 ORDER BY 1, 2, 3"
).columns(sa.column("tag", sa.Integer), sa.column("shop_id", postgresql.UUID(as_uuid=True)), sa.column("d1", sa.Date),
          sa.column("d2", sa.Date), *(sa.column(c, sa.BigInteger) for c in "abcdef"))
