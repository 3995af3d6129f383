"""Bulk writes on natural keys: COPY into a staging table + INSERT … ON CONFLICT on PostgreSQL,
executemany INSERT … ON CONFLICT on SQLite. Rows are plain tuples in the table's column order given."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

_SQLITE_BATCH = 5000


def table_of(row: type) -> sa.Table:
    """The Core table of a declarative row class (what these bulk writes take)."""
    return cast(sa.Table, row.__table__)  # type: ignore[attr-defined]


async def _connection(session: AsyncSession) -> AsyncConnection:
    conn = await session.connection()
    if conn.dialect.name == "postgresql":
        await conn.exec_driver_sql("SELECT 1")  # the driver transaction begins lazily: begin it before COPY
    return conn


async def upsert(session: AsyncSession, table: sa.Table, columns: Sequence[str], rows: Sequence[tuple[Any, ...]],
                 keys: Sequence[str]) -> None:
    """Insert rows; a row whose key exists replaces the stored one's other columns."""
    if not rows:
        return
    conn = await _connection(session)
    if conn.dialect.name == "postgresql":
        await _pg_upsert(conn, table, columns, rows, keys)
    else:
        await _sqlite_write(conn, table, columns, rows, keys)


async def insert(session: AsyncSession, table: sa.Table, columns: Sequence[str],
                 rows: Sequence[tuple[Any, ...]]) -> None:
    """Plain bulk insert (the caller has deleted what these rows replace)."""
    if not rows:
        return
    conn = await _connection(session)
    if conn.dialect.name == "postgresql":
        driver = await _driver(conn)
        await driver.copy_records_to_table(table.name, records=rows, columns=list(columns))
    else:
        await _sqlite_write(conn, table, columns, rows, None)


async def _driver(conn: AsyncConnection) -> Any:
    raw = await conn.get_raw_connection()
    return raw.driver_connection


async def _pg_upsert(conn: AsyncConnection, table: sa.Table, columns: Sequence[str], rows: Sequence[tuple[Any, ...]],
                     keys: Sequence[str]) -> None:
    driver = await _driver(conn)
    stage = f"_stage_{table.name}"
    cols = ", ".join(f'"{c}"' for c in columns)
    await driver.execute(f'CREATE TEMP TABLE IF NOT EXISTS "{stage}" (LIKE "{table.name}") ON COMMIT DELETE ROWS')
    await driver.execute(f'TRUNCATE "{stage}"')
    await driver.copy_records_to_table(stage, records=rows, columns=list(columns))
    updates = ", ".join(f'"{c}" = EXCLUDED."{c}"' for c in columns if c not in keys)
    conflict = ", ".join(f'"{k}"' for k in keys)
    action = f"DO UPDATE SET {updates}" if updates else "DO NOTHING"
    await driver.execute(f'INSERT INTO "{table.name}" ({cols}) SELECT {cols} FROM "{stage}" '
                         f"ON CONFLICT ({conflict}) {action}")


async def _sqlite_write(conn: AsyncConnection, table: sa.Table, columns: Sequence[str],
                        rows: Sequence[tuple[Any, ...]], keys: Sequence[str] | None) -> None:
    stmt: Any = sqlite.insert(table) if conn.dialect.name == "sqlite" else postgresql.insert(table)
    if keys:
        stmt = stmt.on_conflict_do_update(index_elements=list(keys),
                                          set_={c: stmt.excluded[c] for c in columns if c not in keys})
    for start in range(0, len(rows), _SQLITE_BATCH):
        batch = rows[start:start + _SQLITE_BATCH]
        await conn.execute(stmt, [dict(zip(columns, row, strict=True)) for row in batch])
