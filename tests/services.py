"""Real PostgreSQL and Redis for integration tests. Unreachable services fail the run; they are never skipped."""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import uuid

import asyncpg
import pytest
import redis

from stpulse.adapters.db.migrate import upgrade

PG_DSN = os.environ.get("STPULSE_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("STPULSE_TEST_REDIS", "redis://127.0.0.1:6379/15")


def run_sync(coro) -> None:  # type: ignore[no-untyped-def]
    """Run a coroutine to completion from sync code, even where a loop already runs (Playwright's sync API)."""
    in_thread(asyncio.run, coro)


def in_thread(fn, *args) -> None:  # type: ignore[no-untyped-def]
    """Call `fn` on a thread of its own: it may start an event loop even where one already runs (an async fixture)."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(fn, *args).result()


def services_problem() -> str | None:
    """None when PostgreSQL and Redis answer; otherwise what is wrong."""
    try:
        run_sync(_pg_ping())
    except Exception as exc:
        return f"PostgreSQL is unreachable at {PG_DSN}: {exc!r}"
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
    except Exception as exc:
        return f"Redis is unreachable at {REDIS_URL}: {exc!r}"
    return None


def require_services() -> None:
    problem = services_problem()
    if problem:
        pytest.fail(problem, pytrace=False)


async def _pg_ping() -> None:
    conn = await asyncpg.connect(PG_DSN, timeout=5)
    await conn.close()


def create_database(prefix: str = "stpulse_it", template: str | None = None) -> tuple[str, str]:
    """Create a fresh database (empty, or a copy of `template`); return (its name, its SQLAlchemy URL)."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    copy = f' TEMPLATE "{template}"' if template else ""

    async def run() -> None:
        conn = await asyncpg.connect(PG_DSN)
        await conn.execute(f'CREATE DATABASE "{name}"{copy}')
        await conn.close()

    run_sync(run())  # from sync code and from async fixtures alike
    base = PG_DSN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://")
    return name, f"{base}/{name}"


class MigratedDatabases:
    """Fresh databases at the migrations' head for one test run: Alembic runs once, into a template database, and
    every database after that is a copy of it (CREATE DATABASE … TEMPLATE), which takes a fraction of the time.
    Dropping one (a second or more) happens on a thread of its own while the tests go on; the run waits for every
    drop at its end."""

    def __init__(self) -> None:
        self.template: str | None = None
        self._dropper = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="drop-database")
        self._drops: list[concurrent.futures.Future[None]] = []

    def create(self, prefix: str = "stpulse_it") -> tuple[str, str]:
        if self.template is None:
            name, url = create_database("stpulse_tpl")
            try:
                in_thread(upgrade, url)  # Alembic runs its own event loop
            except BaseException:
                drop_database(name)
                raise
            self.template = name
        return create_database(prefix, template=self.template)

    def drop(self, name: str) -> None:
        self._drops.append(self._dropper.submit(drop_database, name))

    def close(self) -> None:
        try:
            for drop in self._drops:
                drop.result()
        finally:
            self._dropper.shutdown()
            if self.template is not None:
                drop_database(self.template)
                self.template = None


def drop_database(name: str) -> None:
    async def run() -> None:
        conn = await asyncpg.connect(PG_DSN)
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await conn.close()

    run_sync(run())  # from sync code and from async fixtures alike


async def truncate_all(url: str) -> None:
    conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    tables = [r["tablename"] for r in await conn.fetch(
        "SELECT tablename FROM pg_tables WHERE schemaname='public' AND tablename <> 'alembic_version'")]
    if tables:  # only the tables holding rows: truncating all ~70 (each a new file) took a second a test
        probe = " UNION ALL ".join(f"SELECT '{t}' AS t WHERE EXISTS (SELECT FROM \"{t}\")" for t in tables)
        filled = [r["t"] for r in await conn.fetch(probe)]
        if filled:
            await conn.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in filled) + " CASCADE")
    await conn.close()
