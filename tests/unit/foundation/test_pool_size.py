"""Issue 19, load: the database pool is sized to the processes that share PostgreSQL."""

from __future__ import annotations

from stpulse.entrypoints.settings import Settings


def test_the_connection_pool_is_the_processes_share():
    from stpulse.adapters.db.uow import Database

    assert Settings(db_connections=80, web_processes=1).db_pool_size == 40  # one web process and the worker
    assert Settings(db_connections=80, web_processes=3).db_pool_size == 20
    assert Settings(db_connections=4, web_processes=8).db_pool_size == 2
    pool = Database("postgresql+asyncpg://u@127.0.0.1/x", pool_size=20).engine.pool
    assert (pool.size(), pool._max_overflow) == (20, 0)  # type: ignore[attr-defined]
