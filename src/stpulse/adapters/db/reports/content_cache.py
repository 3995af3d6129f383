"""Per-process copies of the small tables every report reads whole (an account's cost book, a shop's catalogue).

A copy is keyed by a fingerprint of its rows computed by PostgreSQL in the same transaction, so an added, changed or
deleted row gives another key and the copy is not used again. Two kinds of fingerprint:
- a version stamp (`version`): the catalogue, the cost book and the plan have one per shop or account in
  `content_versions`, bumped by PostgreSQL's own triggers on every change of their rows (migration 0019a) — one
  index probe instead of hashing thousands of rows on every report request;
- a digest (`expression`, `digest`): row count + sum of 64-bit row hashes, for the few-row tables without a stamp.
The report's fingerprint query (`ReportDataRepo.fingerprint`) reads them all for a report in one round trip and
leaves them on the session (`remember`), so the loads that follow in that transaction skip their own query.
Values must be immutable. PostgreSQL only; other databases always load.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from stpulse.adapters.db.ledger import settlement_copies

T = TypeVar("T")
LIMIT = 256  # copies kept, least recently used dropped first
_ITEMS: OrderedDict[Hashable, Any] = OrderedDict()
_KNOWN = "stpulse.content_digests"  # session.info key: (name, *params) → digest computed in this transaction


# the scopes of `content_versions` (migration 0019a): the key is a shop's id for the catalogue, an account's otherwise
CATALOG, COST_BOOK, PLAN = "catalog", "cost_book", "plan"


def version(scope: str, key: str) -> str:
    """A scalar SQL expression: the stamp of the rows of `scope` for the key (an SQL expression giving a uuid).

    '' when no row of that key was ever written (its content is empty: the migration stamped every key it found)."""
    return f"coalesce((SELECT stamp FROM content_versions WHERE scope = '{scope}' AND key = {key}), '')"


async def claim(session: AsyncSession, scope: str, key: Hashable) -> None:
    """A writer of several statements locks the stamp row of what it writes first (PostgreSQL; no row yet: nothing).

    The triggers lock it at the end of each statement; a second writer of the same key that first locked a row the
    first one changes next would wait for that stamp row while holding the row: a deadlock. Taken first, the stamp
    row makes the second writer wait before it touches any row."""
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        await session.execute(text("SELECT 1 FROM content_versions WHERE scope = :scope AND key = :key FOR UPDATE"),
                              {"scope": scope, "key": key})


def expression(table: str, columns: str, where: str) -> str:
    """A scalar SQL expression: the rows' count and the sum of a 64-bit hash of each row (no sort, no text).

    `columns` is a list of column expressions hashed as one record (field by field, so rows cannot run together)."""
    return (f"(SELECT count(*) || ':' || coalesce(sum(hash_record_extended(ROW({columns}), 0)), 0) "
            f"FROM {table} WHERE {where})")


def digest(table: str, columns: str, where: str) -> str:
    """SQL for a fingerprint of the rows (see `expression`)."""
    return f"SELECT {expression(table, columns, where)}"



def remember(session: AsyncSession, name: str, params: dict[str, Any], value: str) -> None:
    """A digest already computed in this session's transaction: `cached` uses it instead of asking again."""
    tx = session.sync_session.get_transaction()
    known: tuple[object, dict[Hashable, str]] | None = session.info.get(_KNOWN)
    if known is None or known[0] is not tx:  # digests hold for one transaction only
        known = session.info[_KNOWN] = (tx, {})
    known[1][(name, *params.values())] = value


def _remembered(session: AsyncSession, name: str, params: dict[str, Any]) -> str | None:
    known = session.info.get(_KNOWN)
    if known is None or known[0] is not session.sync_session.get_transaction():
        return None
    return known[1].get((name, *params.values()))  # type: ignore[no-any-return]


async def cached(session: AsyncSession, name: str, digest_sql: str, params: dict[str, Any],
                 load: Callable[[], Awaitable[T]]) -> T:
    """`digest_sql` (`digest`, or SELECT of a `version`) fingerprints the rows `load` reads; the copy for that
    fingerprint, or a new one."""
    if session.bind is None or session.bind.dialect.name != "postgresql":
        return await load()
    found = _remembered(session, name, params)
    digest = found if found is not None else (await session.execute(text(digest_sql), params)).scalar()
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
    """Every per-process copy of what the reports read: these and the settlement copies (`settlement_copies`)."""
    _ITEMS.clear()
    settlement_copies.clear()
