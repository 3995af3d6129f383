"""A sync saves its progress some thirty times a run (every checkpoint, every step): each save of the run is one
UPDATE of its row on PostgreSQL, with no read of the row first (bench/scale.py: 1,000 shops an hour)."""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec
from sqlalchemy import event

from stpulse.adapters.db.uow import Database
from stpulse.application.ozon.sync_ports import SyncKind, SyncRun, SyncStatus
from tests.integration.contract_helpers import NOW, add_account, add_shop
from tests.services import truncate_all


async def test_a_run_saved_is_one_update_statement(pg_url: str) -> None:
    await truncate_all(pg_url)
    db = Database(pg_url)
    try:
        async with db.uow() as uow:
            _, account = await add_account(uow, "runs@example.ru")
            shop = await add_shop(uow, account)
            run = SyncRun(id=uuid.UUID(int=1), shop_id=shop.id, kind=SyncKind.HOURLY, status=SyncStatus.RUNNING,
                          date_from=dt.date(2026, 11, 19), date_to=dt.date(2026, 11, 25), created_at=NOW,
                          updated_at=NOW)
            await uow.sync_runs.add(run)
            await uow.commit()
        sent: list[str] = []

        def record(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
            sent.append(" ".join(statement.split()[:3]))

        later = msgspec.structs.replace(run, updated_at=NOW + dt.timedelta(seconds=5), percent=40, step="Возвраты",
                                        done_through=dt.date(2026, 11, 25), lines=120, requests=9)
        event.listen(db.engine.sync_engine, "before_cursor_execute", record)
        async with db.uow() as uow:
            sent.clear()  # the pool's check of a connection taken out is not the save
            await uow.sync_runs.update(later)
            assert sent == ["UPDATE sync_runs SET"]
            await uow.commit()
        event.remove(db.engine.sync_engine, "before_cursor_execute", record)
        async with db.uow() as uow:
            assert await uow.sync_runs.latest(shop.id) == later
    finally:
        await db.dispose()
