"""content_versions for the settlement documents every report request reads for its «Сверено с Ozon» badge: one
stamp per shop over the accrual day sums, the realization reports, the cash-flow periods and the daily balances, kept
by the triggers of migration 0019a (`content_versions_bump`). A report request then reads the shops' stamps inside its
fingerprint statement and takes the period's settlement reads from the process's copy under those stamps
(`adapters/db/ledger/settlement_copies.py`) instead of summing a year of day rows on every request. PostgreSQL only.

The four tables are written by the shop's own sync only (one run per shop at a time), so their writers need no
`content_cache.claim` (a second writer of the same shop's settlement rows would).

Revision ID: 0020a
Revises: 0019b
"""
from __future__ import annotations

from alembic import op

revision = "0020a"
down_revision = "0019b"
branch_labels = None
depends_on = None

_SCOPE = "settlement"
# table → the columns compared on UPDATE (the ones `SettlementRepo.period_reads` reads, the key among them)
_TABLES = {
    "ozon_accrual_day_sums": "shop_id, day, total, delivered, returned, compensations, services",
    "ozon_realization_reports": "shop_id, month, delivered, returned, rows, sales",
    "ozon_cash_flow_periods": "shop_id, period_id, first_day, last_day, accrued, invoice, paid, begin_balance, "
                              "end_balance",
    "ozon_balances": "shop_id, day, paid, lines",
}


def _triggers(table: str, columns: str) -> list[str]:
    run = f"FOR EACH STATEMENT EXECUTE FUNCTION content_versions_bump('{_SCOPE}', 'shop_id', '{columns}')"
    return [f"CREATE TRIGGER {table}_version_insert AFTER INSERT ON {table} REFERENCING NEW TABLE AS new_rows {run}",
            f"CREATE TRIGGER {table}_version_update AFTER UPDATE ON {table} "
            f"REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows {run}",
            f"CREATE TRIGGER {table}_version_delete AFTER DELETE ON {table} REFERENCING OLD TABLE AS old_rows {run}",
            f"CREATE TRIGGER {table}_version_truncate AFTER TRUNCATE ON {table} {run}"]


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    shops = " UNION ".join(f"SELECT shop_id FROM {table}" for table in _TABLES)
    op.execute(f"INSERT INTO content_versions (scope, key, stamp) SELECT '{_SCOPE}', k, content_version() "
               f"FROM ({shops}) AS d(k)")
    for table, columns in _TABLES.items():
        for statement in _triggers(table, columns):
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in _TABLES:
        for event in ("insert", "update", "delete", "truncate"):
            op.execute(f"DROP TRIGGER {table}_version_{event} ON {table}")
    op.execute(f"DELETE FROM content_versions WHERE scope = '{_SCOPE}'")
