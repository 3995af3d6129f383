"""A connection that was idle in the pool answers one `SELECT 1` first (adapters/db/uow.py `_ping`): one round trip,
not SQLAlchemy's pre-ping transaction of three, none for a connection used within the last second (under load), and
a connection PostgreSQL dropped while idle is replaced without failing the request."""

from __future__ import annotations

import uuid

import asyncpg
import pytest
from asyncpg.connection import Connection
from sqlalchemy import text

from stpulse.adapters.db import uow as uow_module
from stpulse.adapters.db.uow import Database


async def test_an_idle_connection_is_pinged_once_and_a_busy_one_not_at_all(pg_url: str,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    db = Database(pg_url)
    try:
        async with db.uow() as uow:  # the pool's first connection, ready
            await uow.users.get(uuid.uuid4())
        sent: list[str] = []
        execute = Connection.execute

        async def recorded(self: Connection, query: str, *args: object, **kwargs: object) -> str:
            sent.append(query)
            return await execute(self, query, *args, **kwargs)

        monkeypatch.setattr(Connection, "execute", recorded)
        async with db.uow() as uow:  # back in the pool a moment ago
            await uow.users.get(uuid.uuid4())
        assert sent == ["BEGIN;", "ROLLBACK;"]
        sent.clear()
        monkeypatch.setattr(uow_module, "PING_IDLE_S", 0.0)  # as if it had been idle for a while
        async with db.uow() as uow:
            await uow.users.get(uuid.uuid4())
        assert sent == ["SELECT 1", "BEGIN;", "ROLLBACK;"]
    finally:
        await db.dispose()


async def test_an_idle_connection_postgresql_dropped_is_replaced_without_an_error(
        pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(uow_module, "PING_IDLE_S", 0.0)  # the connection has been idle long enough
    db = Database(pg_url, pool_size=1)
    try:
        async with db.uow() as uow:
            assert uow.session is not None
            pid = await uow.session.scalar(text("SELECT pg_backend_pid()"))
        admin = await asyncpg.connect(pg_url.replace("postgresql+asyncpg://", "postgresql://"))
        try:
            assert await admin.fetchval("SELECT pg_terminate_backend($1)", pid)
        finally:
            await admin.close()
        async with db.uow() as uow:  # the dead connection fails its ping; the pool connects anew
            assert await uow.users.get(uuid.uuid4()) is None
            assert await uow.session.scalar(text("SELECT pg_backend_pid()")) != pid
    finally:
        await db.dispose()
