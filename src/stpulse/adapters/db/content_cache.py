"""Per-process copies of the small tables every report reads whole (an account's cost book, a shop's catalogue).

A copy is keyed by a fingerprint of the rows computed by PostgreSQL in the same transaction (row count + sum of
64-bit row hashes: a few milliseconds, no Python object per row), so an added, changed or deleted row gives
another key and the copy is not used again.
Values must be immutable. PostgreSQL only; other databases always load.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

T = TypeVar("T")
LIMIT = 256  # copies kept, least recently used dropped first
_ITEMS: OrderedDict[Hashable, Any] = OrderedDict()


def digest(table: str, columns: str, where: str) -> str:
    """SQL for a fingerprint of the rows: their count and the sum of a 64-bit hash of each (no sort, no md5 pass).

    `columns` is a `concat_ws` argument list; put `length(x)` before any free text x so rows cannot run together."""
    return (f"SELECT count(*) || ':' || coalesce(sum(hashtextextended(concat_ws('|', {columns}), 0)::numeric), 0) "
            f"FROM {table} WHERE {where}")


async def cached(session: AsyncSession, name: str, digest_sql: str, params: dict[str, Any],
                 load: Callable[[], Awaitable[T]]) -> T:
    """`digest_sql` (see `digest`) fingerprints the rows `load` reads; the copy for that fingerprint, or a new one."""
    if session.bind is None or session.bind.dialect.name != "postgresql":
        return await load()
    digest = (await session.execute(text(digest_sql), params)).scalar()
    key = (name, *params.values(), digest)
    if key in _ITEMS:
        _ITEMS.move_to_end(key)
        return _ITEMS[key]  # type: ignore[no-any-return]
    value = await load()
    _ITEMS[key] = value
    while len(_ITEMS) > LIMIT:
        _ITEMS.popitem(last=False)
    return value


def clear() -> None:
    _ITEMS.clear()
