"""content_versions: a stamp per shop's catalogue and per account's cost book and plan, kept by PostgreSQL's own
statement-level triggers (transition tables; TRUNCATE too), so no write path can forget it. The report fingerprint and
the per-process copies of those tables read the stamp instead of hashing every row on each request.

A stamp is the clock in microseconds and a sequence number, as text: it never repeats for other content, also after
a backup is restored (the shared report store may still hold tables under older stamps). An UPDATE bumps only the
keys whose rows really changed in the columns the reports read (the sync rewrites an unchanged catalogue).
PostgreSQL only: on SQLite nothing is cached, so nothing is created.

Revision ID: 0019a
Revises: 0018a
"""
from __future__ import annotations

from alembic import op

revision = "0019a"
down_revision = "0018a"
branch_labels = None
depends_on = None

# scope → (table, key column, the columns a report reads: an UPDATE that leaves them as they were changes nothing)
_SCOPES = {
    "catalog": ("ozon_products", "shop_id", "shop_id, product_id, sku, offer_id, name"),
    "cost_book": ("cost_prices", "account_id",
                  "account_id, offer_id, effective_from, purchase, delivery, packaging, marking"),
    "plan": ("plan_targets", "account_id",
             "account_id, shop_id, month, offer_id, revenue, units, profit, ad_budget, drr_bp"),
}

_FUNCTIONS = ("CREATE SEQUENCE content_version_numbers", """
CREATE FUNCTION content_version() RETURNS text LANGUAGE sql VOLATILE AS $$
    SELECT floor(extract(epoch FROM clock_timestamp()) * 1000000)::bigint::text || '.'
           || nextval('content_version_numbers')::text
$$
""", """
-- TG_ARGV: scope, key column, the columns compared on UPDATE (the key column among them)
CREATE FUNCTION content_versions_bump() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    keys text;
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        UPDATE content_versions SET stamp = content_version() WHERE scope = TG_ARGV[0];
        RETURN NULL;
    ELSIF TG_OP = 'INSERT' THEN
        keys := format('SELECT %I FROM new_rows', TG_ARGV[1]);
    ELSIF TG_OP = 'DELETE' THEN
        keys := format('SELECT %I FROM old_rows', TG_ARGV[1]);
    ELSE
        keys := format('SELECT %1$I FROM ((SELECT %2$s FROM new_rows EXCEPT SELECT %2$s FROM old_rows) UNION ALL '
                       '(SELECT %2$s FROM old_rows EXCEPT SELECT %2$s FROM new_rows)) AS changed',
                       TG_ARGV[1], TG_ARGV[2]);
    END IF;
    -- keys in order: two writers of several keys lock their stamp rows in the same order
    EXECUTE format('INSERT INTO content_versions (scope, key, stamp) SELECT $1, k, content_version() '
                   'FROM (SELECT DISTINCT k FROM (%s) AS c(k)) AS d ORDER BY k '
                   'ON CONFLICT (scope, key) DO UPDATE SET stamp = EXCLUDED.stamp', keys) USING TG_ARGV[0];
    RETURN NULL;
END
$$""")


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
    op.execute("CREATE TABLE content_versions (scope text NOT NULL, key uuid NOT NULL, stamp text NOT NULL, "
               "CONSTRAINT pk_content_versions PRIMARY KEY (scope, key))")
    for statement in _FUNCTIONS:
        op.execute(statement)
    for scope, (table, key, columns) in _SCOPES.items():
        op.execute(f"INSERT INTO content_versions (scope, key, stamp) SELECT '{scope}', k, content_version() "
                   f"FROM (SELECT DISTINCT {key} AS k FROM {table}) AS d")
        for statement in _triggers(scope, table, key, columns):
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, _, _ in _SCOPES.values():
        for event in ("insert", "update", "delete", "truncate"):
            op.execute(f"DROP TRIGGER {table}_version_{event} ON {table}")
    op.execute("DROP FUNCTION content_versions_bump()")
    op.execute("DROP FUNCTION content_version()")
    op.execute("DROP SEQUENCE content_version_numbers")
    op.execute("DROP TABLE content_versions")
