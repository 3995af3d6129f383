"""An entitlement check reads the owner's subscription with the tariffs' digest in one statement and takes the tariffs
from the process's copy under that digest (PostgreSQL): any change of a tariff row — the admin's save or raw SQL — is
seen by the very next check, and a copy is only kept with the digest read in the same statement as its rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

import asyncpg
import msgspec
from sqlalchemy import event

from stpulse.adapters.db.uow import Database
from stpulse.application.billing.policy import entitlement
from stpulse.domain.billing import Subscription
from tests.integration.contract_helpers import add_account
from tests.services import truncate_all

NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)


async def _check(db: Database, account: Any, statements: list[str]) -> tuple[Any, int]:
    statements.clear()
    async with db.uow() as uow:
        found = await entitlement(uow, account.id, NOW)
    return found.tariff, len(statements)


async def test_the_tariffs_come_from_the_copy_until_a_row_changes(pg_url):  # type: ignore[no-untyped-def]
    await truncate_all(pg_url)
    db = Database(pg_url)
    statements: list[str] = []
    event.listen(db.engine.sync_engine, "before_cursor_execute",
                 lambda conn, cursor, statement, *args: statements.append(statement))
    try:
        async with db.uow() as uow:
            user, account = await add_account(uow, "tariff-copy@example.ru")
            await uow.subscriptions.save(Subscription.new(user_id=user.id, tariff_code="pro", now=NOW)
                                         .start_trial(now=NOW))
            await uow.commit()
        first, _ = await _check(db, account, statements)
        assert first is not None and first.code == "pro"
        again, count = await _check(db, account, statements)
        assert again == first and count == 1, statements  # the subscription with the digest; the tariffs copied

        async with db.uow() as uow:  # the admin edits the tariff: seen by the next check
            edited = msgspec.structs.replace(first, limits=msgspec.structs.replace(first.limits, max_skus=7))
            await uow.tariffs.save(edited)
            await uow.commit()
        seen, count = await _check(db, account, statements)
        assert seen is not None and seen.limits.max_skus == 7 and count == 2

        conn = await asyncpg.connect(pg_url.replace("postgresql+asyncpg://", "postgresql://"))
        try:  # a change behind the application's back too
            await conn.execute("UPDATE tariffs SET max_skus = 11 WHERE code = 'pro'")
        finally:
            await conn.close()
        seen, _ = await _check(db, account, statements)
        assert seen is not None and seen.limits.max_skus == 11
        assert (await _check(db, account, statements))[1] == 1

        async with db.uow() as uow:  # no subscription read first: the rows are read, as they are now
            assert [t.limits.max_skus for t in await uow.tariffs.all() if t.code == "pro"] == [11]
    finally:
        await db.dispose()
