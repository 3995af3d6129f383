"""The JSON API's repeated reports (`application/reports/api_hits.py`): this process's views by request, and the one
statement that says whether anything behind one has changed.

The statement finds the account from the token's hash and reads, beside the report's data fingerprint
(`fingerprint.expressions`, the finished-table cache's parts), a digest (`content_cache.expression`: count and sum of
row hashes) of every row the request's authorisation and settings read: the token, its user, the account, its
members (their roles and shops), its shops (names, entities, last sync), the owner's subscription, the tariffs, the
«Показатели», highlight thresholds and models. It runs on a pooled connection of its own, outside any transaction (one
statement is one snapshot), through asyncpg's prepared statement: a hit costs one round trip and no ORM.
PostgreSQL only: elsewhere `stamp` is None and every request takes the full path.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import OrderedDict

from sqlalchemy.ext.asyncio import AsyncEngine

from stpulse.adapters.db.reports import content_cache, fingerprint
from stpulse.application.reports.api_hits import Hit, HitCheck, HitStamp
from stpulse.application.reports.cache import table_cells
from stpulse.domain.kernel.period import months_between

_ACCOUNT = "(SELECT account_id FROM t)"
_DIGESTS = {  # name → (table, columns, where), over the token's account
    "user": ("users", "users.*", "id = (SELECT user_id FROM t)"),
    "account": ("accounts", "accounts.*", f"id = {_ACCOUNT}"),
    "members": ("memberships", "memberships.*", f"account_id = {_ACCOUNT}"),
    "shops": ("shops", "shops.*", f"account_id = {_ACCOUNT}"),
    "subscription": ("subscriptions", "subscriptions.*",
                     f"user_id = (SELECT owner_id FROM accounts WHERE id = {_ACCOUNT})"),
    "tariffs": ("tariffs", "tariffs.*", "true"),
    "metrics": ("report_metric_choices", "report_metric_choices.*", f"account_id = {_ACCOUNT}"),
    "thresholds": ("report_highlight_thresholds", "report_highlight_thresholds.*", f"account_id = {_ACCOUNT}"),
    "models": ("sku_models", "sku_models.*", f"account_id = {_ACCOUNT}"),
}
_NAMED = re.compile(r"(?<![:\w]):([a-z_]+)\b")
_CELLS = 1_000_000  # the views' tables, in cells, kept per process beyond the report cache (most are the same objects)


def _statement(history: bool, facts: bool) -> tuple[str, tuple[str, ...]]:
    """The SQL with asyncpg's $n parameters, and the parameters' names in order."""
    parts = {name: content_cache.expression(*spec) for name, spec in _DIGESTS.items()}
    parts |= fingerprint.expressions(history, facts)
    sql = ("WITH t AS (SELECT id, user_id, account_id, revoked_at, last_used_at FROM api_tokens "
           "WHERE token_hash = :hash AND revoked_at IS NULL) "
           "SELECT (SELECT last_used_at FROM t) AS used, (SELECT hash_record_extended(ROW(id, user_id, account_id), 0) "
           "FROM t) AS token, " + ", ".join(f"{expr} AS {name}" for name, expr in parts.items()))
    sql = sql.replace(":account", _ACCOUNT)
    names: list[str] = []

    def positional(match: re.Match[str]) -> str:
        if match.group(1) not in names:
            names.append(match.group(1))
        return f"${names.index(match.group(1)) + 1}"

    return _NAMED.sub(positional, sql), tuple(names)


_STATEMENTS = {(h, f): _statement(h, f) for h in (False, True) for f in (False, True)}


class DbReportHits:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.views: OrderedDict[tuple[str, ...], tuple[Hit, int]] = OrderedDict()
        self.cells = 0

    def get(self, key: tuple[str, ...]) -> Hit | None:
        found = self.views.get(key)
        if found is None:
            return None
        self.views.move_to_end(key)
        return found[0]

    def put(self, key: tuple[str, ...], hit: Hit) -> None:
        """Least recently used dropped first beyond `_CELLS` (a table's cells as `TableCache` counts them)."""
        cells = table_cells(hit.view.table) if hit.view.table is not None else 1
        old = self.views.pop(key, None)
        self.cells -= old[1] if old is not None else 0
        if cells > _CELLS:
            return
        self.views[key] = (hit, cells)
        self.cells += cells
        while self.cells > _CELLS:
            self.cells -= self.views.popitem(last=False)[1][1]

    def clear(self) -> None:
        self.views.clear()
        self.cells = 0

    async def touch(self, token_hash: str, at: dt.datetime, older_than: dt.datetime) -> None:
        """One statement, its own transaction; a row another request holds is skipped, not waited for."""
        async with self.engine.connect() as conn:
            raw = await conn.get_raw_connection()
            await raw.driver_connection.execute(_TOUCH, token_hash, at, older_than)  # type: ignore[union-attr]

    async def stamp(self, check: HitCheck) -> HitStamp | None:
        if self.engine.dialect.name != "postgresql":
            return None
        sql, names = _STATEMENTS[(check.history_from is not None, check.facts)]
        values = {"hash": check.token_hash, "shops": list(check.shop_ids), "first": check.first, "last": check.last,
                  "hfirst": check.history_from, "hlast": check.first - dt.timedelta(days=1)}
        async with self.engine.connect() as conn:
            raw = await conn.get_raw_connection()
            row = await raw.driver_connection.fetchrow(sql, *(values[n] for n in names))  # type: ignore[union-attr]
        if row is None or row["token"] is None:
            return None  # unknown or revoked: the full path refuses it
        if not _packed(row["stamps"] or "", check):
            return None  # a month read from the rows has no stamp: never served again
        return HitStamp(text="|".join(str(v) for k, v in row.items() if k != "used"), token_used_at=row["used"])


_TOUCH = ("UPDATE api_tokens SET last_used_at = $2 WHERE id = (SELECT id FROM api_tokens WHERE token_hash = $1 "
          "AND revoked_at IS NULL AND (last_used_at IS NULL OR last_used_at <= $3) FOR UPDATE SKIP LOCKED)")


def _packed(stamps: str, check: HitCheck) -> bool:
    """Every month of every shop has its pack (one stamp each: the count says it)."""
    return bool(stamps) and stamps.count(",") + 1 == months_between(check.first, check.last) * len(check.shop_ids)
