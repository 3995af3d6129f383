"""`column IN values` that keeps one statement whatever the number of values."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import any_, bindparam
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncSession


def among(session: AsyncSession, column: Any, values: Sequence[Any]) -> Any:
    """One bound parameter on PostgreSQL (an array), so the statement and its plan do not change with the number
    of values; SQLite has no arrays and no plan cache to spoil."""
    dialect = session.bind.dialect.name if session.bind is not None else ""
    if dialect != "postgresql":
        return column.in_(list(values))
    return column == any_(bindparam(None, list(values), type_=postgresql.ARRAY(column.type)))
