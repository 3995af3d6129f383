"""The report's fingerprint statement (`ReportDataRepo.fingerprint`): everything a cached report must check, in one
round trip on PostgreSQL.

It reads the packed months' stamps (the period's and, for ОПиУ's estimate, the history months'), the version stamps
of the catalogues, cost book and plan (migration 0019a), a digest of each few-row table a report reads whole, the
operational facts' stamps, and the shops' settlement stamps (migration 0020a). What it read is left on the session
for the loads of the same transaction: the content copies (`content_cache.remember`), the months' stamps of
`monthly` and the settlement copies (`settlement_copies.remember`)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from stpulse.adapters.db.costs.repositories import COST_VERSION
from stpulse.adapters.db.ledger import settlement_copies
from stpulse.adapters.db.reports import content_cache

# the stamps of a shop's catalogue and of an account's plan (bumped by PostgreSQL's triggers: migration 0019a);
# what else a report reads whole is hashed (a few rows): own expenses of the period, the tax settings, the mapping
CATALOG_VERSION = content_cache.version(content_cache.CATALOG, ":shop")
_SHOP_CATALOG_VERSION = content_cache.version(content_cache.CATALOG, "shop")  # of the column `shop`
_PLAN_VERSION = content_cache.version(content_cache.PLAN, ":account")
_OPEX_WHERE = "account_id = :account AND month BETWEEN {first} AND {last}"
OPEX_ROWS = "opex_entries", "opex_entries.*", _OPEX_WHERE.format(first=":first", last=":last")
TAX_ROWS = "legal_entities", "legal_entities.*", "account_id = :account"
_MAPPING_ROWS = "ledger_type_articles", "type_id, article", "true"


def _stamps(first: str, last: str) -> str:
    return ("(SELECT string_agg(shop_id::text || '/' || (month - DATE '1970-01-01') || '/' || stamp, ',' "
            "ORDER BY shop_id, month) FROM sku_monthly_packs WHERE shop_id = ANY(CAST(:shops AS uuid[])) "
            f"AND month BETWEEN {first} AND {last})")


def _opex(first: str, last: str) -> str:
    return content_cache.expression(*OPEX_ROWS[:2], _OPEX_WHERE.format(first=first, last=last))


_FACTS = ("(SELECT string_agg(shop_id::text || '/' || source || '/' || stamp, ',' ORDER BY shop_id, source) "
          "FROM ozon_fact_stamps WHERE shop_id = ANY(CAST(:shops AS uuid[])))")
_CATALOGS = ("(SELECT string_agg(shop::text || '=' || " + _SHOP_CATALOG_VERSION
             + ", ',' ORDER BY shop) FROM unnest(CAST(:shops AS uuid[])) AS u(shop))")
# the parts that do not depend on the period: read once per transaction for a page of several tables
_WHOLE = {"cost": COST_VERSION, "catalogs": _CATALOGS, "legal": content_cache.expression(*TAX_ROWS),
          "mapping": content_cache.expression(*_MAPPING_ROWS), "plan": _PLAN_VERSION}
_MEMO = "report_whole_table_digests"  # session.info: (transaction, (account, *shops) → the _WHOLE values)


def expressions(history: bool, facts: bool, whole: bool = True) -> dict[str, str]:
    """The statement's parts by name: scalar SQL over the parameters :account, :shops (uuid[]), :first and :last,
    with `history` :hfirst and :hlast; `whole`: the parts that do not depend on the period too."""
    parts = {"stamps": _stamps(":first", ":last"), "opex": _opex(":first", ":last"),
             "settlement": settlement_copies.stamps_expression()}
    if history:
        parts |= {"history": _stamps(":hfirst", ":hlast"), "history_opex": _opex(":hfirst", ":hlast")}
    if facts:
        parts["facts"] = _FACTS
    return parts | _WHOLE if whole else parts


async def read(session: AsyncSession, account_id: uuid.UUID, shops: Sequence[uuid.UUID], first: dt.date,
               last: dt.date, history_from: dt.date | None, facts: bool) -> dict[str, str]:
    """The parts by name ('' for a part with no rows); `history*` only with `history_from` (the months from it to
    the day before `first`), `facts` only when asked."""
    parts = expressions(history_from is not None, facts, whole=False)
    params: dict[str, object] = {"account": account_id, "shops": list(shops), "first": first, "last": last}
    if history_from is not None:
        params |= {"hfirst": history_from, "hlast": first - dt.timedelta(days=1)}
    tx, memo = session.sync_session.get_transaction(), session.info.get(_MEMO)
    whole = memo[1].get((account_id, *shops)) if memo is not None and memo[0] is tx else None
    if whole is None:
        parts |= _WHOLE
    sql = "SELECT " + ", ".join(f"{expr} AS {name}" for name, expr in parts.items())
    row = (await session.execute(text(sql), params)).one()
    found = {name: "" if value is None else str(value) for name, value in zip(parts, row, strict=True)}
    if whole is None:
        if memo is None or memo[0] is not tx:  # they hold for one transaction (one snapshot) only
            memo = session.info[_MEMO] = (tx, dict[tuple[object, ...], dict[str, str]]())
        whole = memo[1][(account_id, *shops)] = {name: found[name] for name in _WHOLE}
    found |= whole
    _remember(session, account_id, shops, first, last, found)
    if history_from is not None:
        content_cache.remember(session, "opex", {"account": account_id, "first": history_from,
                                                 "last": first - dt.timedelta(days=1)}, found["history_opex"])
    return found


def _remember(session: AsyncSession, account_id: uuid.UUID, shops: Sequence[uuid.UUID], first: dt.date,
              last: dt.date, found: dict[str, str]) -> None:
    content_cache.remember(session, "cost_book", {"account": account_id}, found["cost"])
    content_cache.remember(session, "opex", {"account": account_id, "first": first, "last": last}, found["opex"])
    content_cache.remember(session, "legal", {"account": account_id}, found["legal"])
    catalogs = dict(item.split("=", 1) for item in found["catalogs"].split(",") if item)
    for shop in shops:
        content_cache.remember(session, "catalog", {"shop": shop}, catalogs[str(shop)])
    settlement_copies.remember(session, shops, found["settlement"])


def months(stamps: str, shops: Sequence[uuid.UUID]) -> dict[uuid.UUID, dict[int, int]]:
    """The packed months' stamps as read: shop → day number of the month's first day → stamp."""
    known: dict[uuid.UUID, dict[int, int]] = {shop: {} for shop in shops}
    for item in filter(None, stamps.split(",")):
        shop, day, stamp = item.split("/")
        known[uuid.UUID(shop)][int(day)] = int(stamp)
    return known
