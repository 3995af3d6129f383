"""Report queries keep one statement and one plan whatever the selection: no variable-length `IN` lists.

PostgreSQL switches a prepared statement to a generic plan on its sixth execution; a statement whose number of bind
parameters follows the data (500 SKUs → 500 parameters) gets a different, much slower plan then (issue 17). Arrays
(`= ANY($1)`) keep the statement, its parameter count and its plan the same."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import asyncpg
from sqlalchemy import event

from stpulse.adapters.db.ledger import rollup_packs
from stpulse.adapters.db.reports import content_cache
from stpulse.application.reports.cache import ESTIMATES, TABLES
from stpulse.application.reports.views import ReportRequest, build_report
from stpulse.domain.accounts.legal import EntityKind, LegalEntity
from tests.integration.money.loader import add_shop
from tests.integration.money.test_rollup_packs import seller_with_two_months

PARAM = re.compile(r"\$\d+")


async def _statements(app, deps, actor, req: ReportRequest) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Every statement a computed ОПиУ, Юнитка and drill-down send (caches emptied) → its number of parameters."""
    TABLES.clear()
    content_cache.clear()
    rollup_packs.CACHE.clear()
    ESTIMATES.clear()
    seen: dict[str, int] = {}

    def record(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        seen[statement] = len(set(PARAM.findall(statement)))

    engine = app.state.container.database.engine.sync_engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        for kind in ("pnl", "unit"):
            await build_report(deps, actor, kind, req)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return seen


async def test_no_report_query_has_a_variable_number_of_bind_parameters(app, client, mailbox, pg_url):
    entity = LegalEntity(id=uuid.uuid4(), account_id=uuid.uuid4(), kind=EntityKind.IP, name="ИП План",
                         inn="500100732259")
    seller = await seller_with_two_months(app, client, mailbox, pg_url, "plans@example.ru", "Планы", "8101", entity)
    one = await _statements(app, seller.deps, seller.actor, ReportRequest(month_from="2026-01", month_to="2026-02"))
    await add_shop(pg_url, seller.account_id, "Второй", "8102")
    both = await _statements(app, seller.deps, seller.actor, ReportRequest(month_from="2026-01", month_to="2026-02"))
    assert one and both
    assert max(both.values()) <= 12, max(both.items(), key=lambda kv: kv[1])
    assert not any("IN (" in s and s.count("$") > 12 for s in both)
    # no statement's text grows with the selection: one sent with one shop and not with two is not the same
    # statement with another number of parameters (a cache key that cannot be made, as for the second shop here
    # with no months packed, skips the statements that only serve the key)
    def norm(statement: str) -> str:
        return re.sub(r"\$\d+(?:\s*,\s*\$\d+)*", "$", statement)

    assert not {norm(s) for s in set(one) - set(both)} & {norm(s) for s in set(both) - set(one)}
    assert set(one) & set(both)
    for statement in set(one) & set(both):
        assert both[statement] == one[statement]


async def test_the_by_day_read_of_a_few_skus_is_a_range_of_the_sku_index(app, client, mailbox, pg_url):
    """ОПиУ's estimate reads the lines of the SKUs whose cost changes inside a month day by day; migration 0021a's
    index (shop, SKU, day) with the summed columns included serves it as an index-only range per SKU instead of a
    walk over the shop's whole month (55 → 19 ms a month on the large bench profile)."""
    entity = LegalEntity(id=uuid.uuid4(), account_id=uuid.uuid4(), kind=EntityKind.IP, name="ИП Индекс",
                         inn="500100732259")
    seller = await seller_with_two_months(app, client, mailbox, pg_url, "index@example.ru", "Индекс", "8103", entity)
    conn = await asyncpg.connect(pg_url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        shop_id = seller.shop_id
        await conn.executemany(  # a month of 40 SKUs' lines
            "INSERT INTO ozon_posting_items (shop_id, posting_number, line, sku, created_day, status, quantity, price)"
            " VALUES ($1, $2, 1, $3, $4, 'delivered', 1, 10000)",
            [(shop_id, f"IDX-{sku}-{day}", 1000 + sku, dt.date(2026, 1, day)) for sku in range(40)
             for day in range(1, 32)])
        skus = [1000, 1007, 1031]
        async with conn.transaction():
            await conn.execute("ANALYZE ozon_posting_items")
            await conn.execute("SET LOCAL enable_seqscan = off")  # a test shop's few lines would be read whole
            plan = "\n".join(r[0] for r in await conn.fetch(
                "EXPLAIN SELECT sku, status LIKE 'cancelled%' AS c, created_day AS d, sum(quantity)::int8, "
                "sum(quantity::int8 * price)::int8 FROM ozon_posting_items WHERE shop_id = ANY($1::uuid[]) "
                "AND created_day BETWEEN $2 AND $3 AND sku = ANY($4::bigint[]) GROUP BY sku, c, d",
                [shop_id], dt.date(2026, 1, 1), dt.date(2026, 1, 31), skus))
    finally:
        await conn.close()
    assert "Index Cond" in plan and "ix_ozon_posting_items_shop_sku_day" in plan, plan  # not a walk over the month
