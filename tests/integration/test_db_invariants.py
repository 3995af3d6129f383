"""Invariants held by PostgreSQL itself (migration 0008): a row that breaks one is refused, whatever code wrote it.
One test per family: counts and quantities >= 0, period bounds, percentages, money amounts (never below zero
where they cannot be; kopecks as BIGINT), and the foreign key of a web session's account."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import pytest
from sqlalchemy import CheckConstraint

from stpulse.adapters.db.accounts import models as _accounts  # noqa: F401 - the tables register in the metadata
from stpulse.adapters.db.billing import models as _billing  # noqa: F401
from stpulse.adapters.db.costs import models as _costs  # noqa: F401
from stpulse.adapters.db.ledger import models as _ledger  # noqa: F401
from stpulse.adapters.db.metadata import metadata
from stpulse.adapters.db.ozon import models as _ozon  # noqa: F401
from stpulse.adapters.db.planning import models as _planning  # noqa: F401
from stpulse.adapters.db.planning import supply_models as _supply  # noqa: F401

DAY = dt.date(2026, 9, 1)
SAMPLE: dict[type, Any] = {int: 1, str: "x", bool: False, bytes: b"", dt.date: DAY,
                           dt.datetime: dt.datetime(2026, 9, 1, tzinfo=dt.UTC)}


@pytest.fixture
async def db(pg_url: str) -> AsyncIterator[asyncpg.Connection]:
    """A connection inside a transaction that is rolled back: nothing stays behind."""
    conn = await asyncpg.connect(pg_url.replace("postgresql+asyncpg://", "postgresql://"))
    tx = conn.transaction()
    await tx.start()
    yield conn
    await tx.rollback()
    await conn.close()


async def insert(conn: asyncpg.Connection, table: str, **values: Any) -> uuid.UUID | None:
    """A row of `table` with a sample value in every NOT NULL column (each passes every check), then `values`."""
    row: dict[str, Any] = {}
    for column in metadata.tables[table].columns:
        if not column.nullable:
            kind = column.type.python_type
            row[column.name] = uuid.uuid4() if kind is uuid.UUID else SAMPLE[kind]
    row.update(values)
    names = ", ".join(row)
    marks = ", ".join(f"${i}" for i in range(1, len(row) + 1))
    await conn.execute(f"INSERT INTO {table} ({names}) VALUES ({marks})", *row.values())
    return row.get("id")


async def refused(conn: asyncpg.Connection, table: str, constraint: str, **values: Any) -> None:
    """The CHECK constraint itself refuses the row (it fires before the foreign keys are looked at)."""
    with pytest.raises(asyncpg.CheckViolationError) as caught:
        async with conn.transaction():  # a savepoint, rolled back: the outer transaction stays usable
            await insert(conn, table, **values)
    assert caught.value.constraint_name == f"ck_{table}_{constraint}"


async def test_every_check_of_the_models_is_in_the_migrated_database(db):
    declared = {c.name for t in metadata.tables.values() for c in t.constraints if isinstance(c, CheckConstraint)}
    present = {r["conname"] for r in await db.fetch("SELECT conname FROM pg_constraint WHERE contype = 'c'")}
    assert len(declared) >= 25 and declared <= present, declared - present


async def test_counts_and_quantities_are_never_negative(db):
    await refused(db, "sync_runs", "counts_not_negative", lines=-1)
    await refused(db, "sync_runs", "counts_not_negative", requests=-1)
    await refused(db, "ozon_raw_days", "records_not_negative", records=-1)
    await refused(db, "ozon_postings", "items_not_negative", items=-1)
    await refused(db, "ozon_unmapped_types", "lines_not_negative", lines=-1)
    await refused(db, "sku_daily_rollups", "quantity_not_negative", quantity=-1)
    await refused(db, "sku_monthly_rollups", "quantity_not_negative", quantity=-1)
    await refused(db, "sku_monthly_packs", "rows_not_negative", rows=-1)
    await refused(db, "documents", "size_not_negative", size=-1)
    await refused(db, "tariffs", "limits_not_negative", max_skus=-1)
    await refused(db, "subscriptions", "grace_days_not_negative", grace_days=-1)
    await refused(db, "payments", "periods_not_negative", extra_days=-1)
    await refused(db, "invoices", "amount_months_not_negative", months=-1)
    await refused(db, "promo_codes", "uses_not_negative", max_uses_total=-1)


async def test_period_bounds(db):
    later = DAY + dt.timedelta(days=1)
    await refused(db, "sync_runs", "date_from_before_date_to", date_from=later, date_to=DAY)
    await refused(db, "ozon_unmapped_types", "first_seen_before_last_seen", first_seen=later, last_seen=DAY)
    for table in ("sku_monthly_rollups", "sku_monthly_packs", "opex_entries"):
        await refused(db, table, "month_first_day", month=dt.date(2026, 9, 15))


async def test_percentages_stay_within_0_and_100(db):
    await refused(db, "sync_runs", "percent_within_0_100", percent=101)
    await refused(db, "sync_runs", "percent_within_0_100", percent=-1)
    await refused(db, "legal_entities", "vat_rate_within_0_100", vat_rate=120)
    await refused(db, "invoices", "vat_rate_within_0_100", vat_rate=-20)
    await refused(db, "promo_codes", "value_in_range", kind="percent", value=101)


async def test_money_amounts_that_cannot_be_negative(db):
    await refused(db, "cost_prices", "components_not_negative", purchase=-1)
    await refused(db, "cost_prices", "components_not_negative", marking=-1)
    await refused(db, "opex_entries", "amount_positive", amount=0)
    await refused(db, "tariffs", "monthly_price_not_negative", monthly_price=-100)
    await refused(db, "payments", "amounts_not_negative", amount=-1, refunded_amount=-1)
    await refused(db, "payments", "refund_within_amount", amount=100, refunded_amount=101)
    await refused(db, "promo_codes", "value_in_range", kind="fixed", value=0)
    await refused(db, "invoices", "amount_months_not_negative", amount=-1)
    await refused(db, "invoices", "number_positive", number=0)


MONEY = {"accrual_lines": ["amount"], "sku_daily_rollups": ["amount"], "sku_monthly_rollups": ["amount"],
         "ozon_products": ["price"], "cost_prices": ["purchase", "delivery", "packaging", "marking"],
         "opex_entries": ["amount"], "tariffs": ["monthly_price"],
         "payments": ["amount", "list_price", "refunded_amount"], "promo_codes": ["value"], "invoices": ["amount"]}


async def test_kopeck_amounts_are_bigint_and_signed_ones_stay_signed(db):
    rows = await db.fetch("SELECT table_name, column_name, data_type FROM information_schema.columns "
                          "WHERE table_schema = 'public'")
    types = {(r["table_name"], r["column_name"]): r["data_type"] for r in rows}
    assert {(t, c): types[(t, c)] for t, cs in MONEY.items() for c in cs} == {
        (t, c): "bigint" for t, cs in MONEY.items() for c in cs}
    shop = await _shop(db)
    await insert(db, "accrual_lines", shop_id=shop, amount=-123_45, quantity=-1)  # a refund is a signed line
    await insert(db, "sku_daily_rollups", shop_id=shop, amount=-5_000_000_000_00)  # beyond 32 bits


async def _shop(db: asyncpg.Connection) -> uuid.UUID:
    user = await insert(db, "users")
    account = await insert(db, "accounts", owner_id=user)
    shop = await insert(db, "shops", account_id=account)
    assert shop is not None
    return shop


async def test_a_session_keeps_its_user_when_its_account_is_deleted(db):
    user = await insert(db, "users")
    account = await insert(db, "accounts", owner_id=user)
    session = await insert(db, "web_sessions", user_id=user, account_id=account)
    with pytest.raises(asyncpg.ForeignKeyViolationError):
        async with db.transaction():
            await insert(db, "web_sessions", user_id=user, account_id=uuid.uuid4(), token_hash="y")
    await db.execute("DELETE FROM accounts WHERE id = $1", account)
    row = await db.fetchrow("SELECT user_id, account_id FROM web_sessions WHERE id = $1", session)
    assert row is not None and row["user_id"] == user and row["account_id"] is None
