"""content_versions for what «Товарные остатки» and «Планирование поставок» read beyond the money: a stamp per shop's
stock snapshots and supplies in transit and per account's supply parameters, kept by the triggers of migration 0019a
(`content_versions_bump`). The stock reports' cache stamp then reads three index probes instead of counting and summing
the newest day's twelve thousand snapshot rows on every request. PostgreSQL only, as 0019a.

Revision ID: 0019b
Revises: 0019a
"""
from __future__ import annotations

from alembic import op

revision = "0019b"
down_revision = "0019a"
branch_labels = None
depends_on = None

# scope → (table, key column, the columns compared on UPDATE: every column, the reports read them all)
_SCOPES = {
    "stock": ("ozon_stock_snapshots", "shop_id",
              "shop_id, day, sku, warehouse_id, cluster_name, warehouse_name, available, transit, reserved"),
    "supplies": ("ozon_supply_items", "shop_id",
                 "shop_id, supply_id, sku, order_id, state, warehouse_id, warehouse_name, cluster_name, arrival_date, "
                 "quantity"),
    "supply_params": ("supply_params", "account_id",
                      "account_id, offer_id, lead_days, cover_days, safety_days, box, min_order"),
}


def _triggers(scope: str, table: str, key: str, columns: str) -> list[str]:
    args = f"'{scope}', '{key}', '{columns}'"
    run = f"FOR EACH STATEMENT EXECUTE FUNCTION content_versions_bump({args})"
    return [f"CREATE TRIGGER {table}_version_insert AFTER INSERT ON {table} REFERENCING NEW TABLE AS new_rows {run}",
            f"CREATE TRIGGER {table}_version_update AFTER UPDATE ON {table} "
            f"REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows {run}",
            f"CREATE TRIGGER {table}_version_delete AFTER DELETE ON {table} REFERENCING OLD TABLE AS old_rows {run}",
            f"CREATE TRIGGER {table}_version_truncate AFTER TRUNCATE ON {table} {run}"]


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for scope, (table, key, columns) in _SCOPES.items():
        op.execute(f"INSERT INTO content_versions (scope, key, stamp) SELECT '{scope}', k, content_version() "
                   f"FROM (SELECT DISTINCT {key} AS k FROM {table}) AS d")
        for statement in _triggers(scope, table, key, columns):
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for scope, (table, _, _) in _SCOPES.items():
        for event in ("insert", "update", "delete", "truncate"):
            op.execute(f"DROP TRIGGER {table}_version_{event} ON {table}")
        op.execute(f"DELETE FROM content_versions WHERE scope = '{scope}'")
