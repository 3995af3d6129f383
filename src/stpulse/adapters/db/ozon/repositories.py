"""Ozon facts (bulk, on natural keys) and sync runs. See docs/rollups.md for the write rules."""

from __future__ import annotations

import datetime as dt
import json
import uuid
import zlib
from collections import defaultdict
from collections.abc import Collection, Sequence
from typing import Any

import numpy as np
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession

from stpulse.adapters.db import bulk
from stpulse.adapters.db.ledger import models as f
from stpulse.adapters.db.ledger.rollup_lock import lock_shop_rollups
from stpulse.adapters.db.ledger.rollup_packs import refresh_monthly_packs
from stpulse.adapters.db.mapping import row_values, to_domain
from stpulse.adapters.db.ozon import models as o
from stpulse.adapters.db.ozon.accrual_types import AccrualTypesStore
from stpulse.adapters.db.ozon.fact_writers import (
    ANOMALIES,
    RAW_DAYS,
    FactWriters,
    pack_raw,
)
from stpulse.application.ozon.records import (
    AccrualRecord,
)
from stpulse.application.ozon.sync_ports import Anomaly, SyncRun, SyncStatus, UnmappedType
from stpulse.domain.kernel.period import EPOCH
from stpulse.domain.ledger.accruals import AccrualLine, Component
from stpulse.domain.ledger.articles import EXTERNAL_ADS, Source, articles_of
from stpulse.domain.ledger.rollup import Rollup


def day_ranges(days: Collection[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """Sorted days as runs of consecutive days: one BETWEEN each, however many days."""
    runs: list[tuple[dt.date, dt.date]] = []
    for day in sorted(set(days)):
        if runs and runs[-1][1] + dt.timedelta(days=1) == day:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


_table = bulk.table_of


LINES, DAILY, MONTHLY = _table(f.AccrualLineRow), _table(f.DailyRollupRow), _table(f.MonthlyRollupRow)
UNMAPPED = _table(f.UnmappedTypeRow)
_LINE_COLS = ("shop_id", "accrual_id", "line_no", "date", "category", "unit_number", "sku", "component", "type_id",
              "amount", "quantity", "delivery_schema", "asked_day")
_ROLLUP_COLS = ("shop_id", "day", "sku", "article", "amount", "quantity")


class FactsRepo(AccrualTypesStore, FactWriters):
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def write_accruals(self, shop_id: uuid.UUID, first: dt.date, last: dt.date,
                             records: Sequence[AccrualRecord]) -> set[dt.date]:
        """Replace the shop's lines that the answers of first..last carried with these (one record per accrual id).

        Returns the dates of the lines this replaced or removed (Ozon may have dated them on other days, or an
        accrual may come from another day's answer now): their rollups must be rebuilt too."""
        own = (LINES.c.shop_id == shop_id, LINES.c.asked_day.between(first, last))
        stale = set((await self.s.execute(sa.select(LINES.c.date).where(*own).distinct())).scalars())
        stale |= await self._dates_from_other_answers(shop_id, first, last, sorted({r.accrual_id for r in records}))
        await self.s.execute(sa.delete(LINES).where(*own))
        rows = [(shop_id, x.accrual_id, x.line_no, x.date, x.category, x.unit_number, x.sku, x.component, x.type_id,
                 x.amount, x.quantity, x.delivery_schema, r.source_day) for r in records for x in r.lines]
        await bulk.upsert(self.s, LINES, _LINE_COLS, rows, ("shop_id", "accrual_id", "line_no"))
        await self._write_raw_days(shop_id, first, last, records)
        await self._write_anomalies(shop_id, first, last, records)
        return stale

    async def _write_anomalies(self, shop_id: uuid.UUID, first: dt.date, last: dt.date,
                               records: Sequence[AccrualRecord]) -> None:
        await self.s.execute(sa.delete(ANOMALIES).where(ANOMALIES.c.shop_id == shop_id, ANOMALIES.c.source == "accruals",
                                                        ANOMALIES.c.day.between(first, last)))
        rows = [(shop_id, "accruals", r.accrual_id, reason[:300], r.source_day, pack_raw(r.raw))
                for r in records for reason in r.anomalies]
        await bulk.upsert(self.s, ANOMALIES, ("shop_id", "source", "record_id", "reason", "day", "raw"), rows,
                          ("shop_id", "source", "record_id", "reason"))

    async def anomalies(self, shop_id: uuid.UUID | None = None, limit: int = 500) -> list[Anomaly]:
        """The newest first; the raw record inflated back to the JSON Ozon sent."""
        query = sa.select(ANOMALIES).order_by(ANOMALIES.c.day.desc(), ANOMALIES.c.record_id).limit(limit)
        if shop_id is not None:
            query = query.where(ANOMALIES.c.shop_id == shop_id)
        return await self._with_types([
            Anomaly(shop_id=r.shop_id, source=r.source, record_id=r.record_id, reason=r.reason, day=r.day,
                    raw=zlib.decompress(r.raw).decode("utf-8", "replace")) for r in (await self.s.execute(query)).all()])

    async def _dates_from_other_answers(self, shop_id: uuid.UUID, first: dt.date, last: dt.date,
                                        ids: Sequence[int]) -> set[dt.date]:
        """Dates of stored lines of these accruals that an answer outside first..last carried (they move here).

        One primary-key probe per id, the same work the upsert's conflict check does: a LATERAL join on
        PostgreSQL (a plain `= ANY(…)` of 100,000 ids may be planned as a scan of every line of the shop)."""
        if not ids:
            return set()
        elsewhere = ~LINES.c.asked_day.between(first, last)
        if (await self.s.connection()).dialect.name != "postgresql":
            where = LINES.c.accrual_id.in_(sa.select(sa.column("value", sa.BigInteger)).select_from(
                sa.func.json_each(sa.bindparam(None, json.dumps(list(ids)), type_=sa.String))))
            query = sa.select(LINES.c.date).where(LINES.c.shop_id == shop_id, elsewhere, where).distinct()
            return set((await self.s.execute(query)).scalars())
        array = sa.bindparam(None, list(ids), type_=ARRAY(sa.BigInteger))
        wanted = sa.func.unnest(array).table_valued("id").render_derived("wanted")
        line = sa.select(LINES.c.date).where(LINES.c.shop_id == shop_id, LINES.c.accrual_id == wanted.c.id,
                                             elsewhere).lateral()
        return set((await self.s.execute(sa.select(line.c.date).select_from(wanted).join(line, sa.true())
                                         .distinct())).scalars())

    async def _write_raw_days(self, shop_id: uuid.UUID, first: dt.date, last: dt.date,
                              records: Sequence[AccrualRecord]) -> None:
        by_day: dict[dt.date, list[bytes]] = defaultdict(list)
        for r in records:
            by_day[r.source_day].append(r.raw)
        raw_rows = [(shop_id, "accruals", day, len(by_day.get(day, ())),
                     pack_raw(b"[" + b",".join(by_day.get(day, ())) + b"]"))
                    for day in (first + dt.timedelta(days=i) for i in range((last - first).days + 1))]
        await bulk.upsert(self.s, RAW_DAYS, ("shop_id", "source", "day", "records", "payload"), raw_rows,
                          ("shop_id", "source", "day"))

    async def lines_carried_elsewhere(self, shop_id: uuid.UUID, first: dt.date, last: dt.date,
                                      days: Collection[dt.date]) -> list[AccrualLine]:
        """Lines dated on `days` that answers of days outside first..last carried (Ozon dated them here)."""
        return await self._lines_on(shop_id, days, ~LINES.c.asked_day.between(first, last))

    async def lines_on(self, shop_id: uuid.UUID, days: Collection[dt.date]) -> list[AccrualLine]:
        return await self._lines_on(shop_id, days, sa.true())

    async def days_with_type(self, type_id: int) -> list[tuple[uuid.UUID, dt.date]]:
        query = sa.select(LINES.c.shop_id, LINES.c.date).where(
            LINES.c.component == "service", LINES.c.type_id == type_id).distinct()
        return sorted((shop, day) for shop, day in (await self.s.execute(query)).all())

    async def _lines_on(self, shop_id: uuid.UUID, days: Collection[dt.date], where: Any) -> list[AccrualLine]:
        dated = sa.or_(*(LINES.c.date.between(low, high) for low, high in day_ranges(days)))
        query = sa.select(*(LINES.c[c] for c in _LINE_COLS[1:12])).where(LINES.c.shop_id == shop_id, dated, where)
        return [AccrualLine(accrual_id=a, line_no=n, date=d, category=cat, unit_number=u, sku=sku,
                            component=Component(comp), type_id=t, amount=m, quantity=q, delivery_schema=ds)
                for a, n, d, cat, u, sku, comp, t, m, q, ds in (await self.s.execute(query)).all()]

    async def write_daily_rollups(self, shop_id: uuid.UUID, days: Collection[dt.date], rollup: Rollup,
                                  source: Source | None = None) -> None:
        """Replace the daily rows of `days` with the rollup (which must hold no other day). With a `source`, only
        the rows of the articles it feeds are replaced: the accruals' writes never touch the buyouts' and back, and
        the ads sync's rows («Реклама из рекламного кабинета», rebuilt from the ad statistics) stay; without one,
        every article but the ads sync's. A per-shop advisory lock keeps parallel writers apart."""
        await lock_shop_rollups(self.s, shop_id)
        own = DAILY.c.article != EXTERNAL_ADS if source is None else DAILY.c.article.in_(articles_of(source))
        for low, high in day_ranges(days):
            await self.s.execute(sa.delete(DAILY).where(DAILY.c.shop_id == shop_id, DAILY.c.day.between(low, high),
                                                        own))
        if source is not None and not set(np.unique(rollup.article).tolist()) <= set(articles_of(source)):
            raise ValueError(f"rollup rows of articles that {source} does not feed")
        day_of = {int(d): EPOCH + dt.timedelta(days=int(d)) for d in np.unique(rollup.day)}
        if not set(day_of.values()) <= set(days):
            raise ValueError("rollup rows outside the days being replaced")
        sku = np.where(rollup.sku >= 0, rollup.skus[np.maximum(rollup.sku, 0)] if len(rollup.skus) else 0, 0)
        rows = [(shop_id, day_of[d], s, a, m, q) for d, s, a, m, q in zip(
            rollup.day.tolist(), sku.tolist(), rollup.article.tolist(), rollup.amount.tolist(),
            rollup.quantity.tolist(), strict=True)]
        await bulk.insert(self.s, DAILY, _ROLLUP_COLS, rows)

    async def rebuild_monthly(self, shop_id: uuid.UUID, months: Sequence[dt.date]) -> None:
        for month in months:
            end = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
            await self.s.execute(sa.delete(MONTHLY).where(MONTHLY.c.shop_id == shop_id, MONTHLY.c.month == month))
            source = sa.select(DAILY.c.shop_id, sa.literal(month, sa.Date), DAILY.c.sku, DAILY.c.article,
                               sa.func.sum(DAILY.c.amount), sa.func.sum(DAILY.c.quantity)).where(
                DAILY.c.shop_id == shop_id, DAILY.c.day.between(month, end)).group_by(
                DAILY.c.shop_id, DAILY.c.sku, DAILY.c.article)
            await self.s.execute(sa.insert(MONTHLY).from_select(list(_ROLLUP_COLS[:1]) + ["month", *_ROLLUP_COLS[2:]],
                                                                source))
        await refresh_monthly_packs(self.s, shop_id, months)  # the reports' packed copy (docs/rollups.md)

    async def record_unmapped(self, shop_id: uuid.UUID, mapped: Collection[int]) -> list[int | None]:
        """Rebuild the shop's unmapped types from its stored service lines (re-syncing never double-counts)."""
        table = UNMAPPED
        stmt = sa.select(LINES.c.type_id, sa.func.count(), sa.func.min(LINES.c.date), sa.func.max(LINES.c.date)).where(
            LINES.c.shop_id == shop_id, LINES.c.component == "service").group_by(LINES.c.type_id)
        rows = [(shop_id, -1 if t is None else t, first, last, n)
                for t, n, first, last in (await self.s.execute(stmt)).all() if t is None or t not in mapped]
        await self.s.execute(sa.delete(table).where(table.c.shop_id == shop_id))
        await bulk.insert(self.s, table, ("shop_id", "type_id", "first_seen", "last_seen", "lines"), rows)
        return [None if r[1] < 0 else r[1] for r in rows]

    async def unmapped_types(self, shop_id: uuid.UUID | None = None) -> list[UnmappedType]:
        stmt = sa.select(f.UnmappedTypeRow).order_by(f.UnmappedTypeRow.type_id)
        if shop_id is not None:
            stmt = stmt.where(f.UnmappedTypeRow.shop_id == shop_id)
        return [to_domain(r, UnmappedType) for r in (await self.s.execute(stmt)).scalars()]


_RUN_COLUMNS = frozenset(o.SyncRunRow.__table__.columns.keys()) - {"id"}


class SyncRunRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def add(self, run: SyncRun) -> None:
        self.s.add(o.SyncRunRow(**row_values(run)))
        await self.s.flush()

    async def update(self, run: SyncRun) -> None:
        """One UPDATE of every column (a sync saves its progress ~30 times: no read of the row first, and one
        statement shape for the statement caches); an unknown id changes nothing."""
        values = {k: v for k, v in row_values(run).items() if k in _RUN_COLUMNS}
        await self.s.execute(sa.update(o.SyncRunRow).where(o.SyncRunRow.id == run.id).values(values))

    async def latest(self, shop_id: uuid.UUID) -> SyncRun | None:
        runs = await self.history(shop_id, 1)
        return runs[0] if runs else None

    async def history(self, shop_id: uuid.UUID, limit: int) -> list[SyncRun]:
        stmt = (sa.select(o.SyncRunRow).where(o.SyncRunRow.shop_id == shop_id)
                .order_by(o.SyncRunRow.created_at.desc(), o.SyncRunRow.id.desc()).limit(limit))
        return [to_domain(r, SyncRun) for r in (await self.s.execute(stmt)).scalars()]

    async def touch(self, run_id: uuid.UUID, at: dt.datetime) -> None:
        """A running sync's keep-alive: only `updated_at`, so it never overwrites the checkpoint."""
        await self.s.execute(sa.update(o.SyncRunRow).where(o.SyncRunRow.id == run_id,
                                                           o.SyncRunRow.status == SyncStatus.RUNNING.value)
                             .values(updated_at=at))

    async def stalled(self, before: dt.datetime) -> list[SyncRun]:
        """Runs still marked running whose worker has been silent since `before` (killed or lost)."""
        stmt = sa.select(o.SyncRunRow).where(o.SyncRunRow.status == SyncStatus.RUNNING.value,
                                             o.SyncRunRow.updated_at < before).order_by(o.SyncRunRow.updated_at)
        return [to_domain(r, SyncRun) for r in (await self.s.execute(stmt)).scalars()]

    async def failed_since(self, since: dt.datetime, limit: int) -> list[SyncRun]:
        stmt = (sa.select(o.SyncRunRow).where(o.SyncRunRow.status == SyncStatus.FAILED.value,
                                              o.SyncRunRow.updated_at >= since)
                .order_by(o.SyncRunRow.updated_at.desc(), o.SyncRunRow.id.desc()).limit(limit))
        return [to_domain(r, SyncRun) for r in (await self.s.execute(stmt)).scalars()]
