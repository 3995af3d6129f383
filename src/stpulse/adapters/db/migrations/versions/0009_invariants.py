"""invariants in the database: CHECK constraints (counts and quantities >= 0, period bounds, percentages, months
stored as their first day) and the web session's account as a foreign key (ON DELETE SET NULL)

Revision ID: 0009_invariants
Revises: 0008_token_payload
"""
from __future__ import annotations

from alembic import op

revision = "0009_invariants"
down_revision = "0008_token_payload"
branch_labels = None
depends_on = None

# table → [(constraint name without the ck_<table>_ prefix, condition)], as declared in the ORM models
CHECKS: dict[str, list[tuple[str, str]]] = {
    "ozon_raw_days": [("records_not_negative", "records >= 0")],
    "ozon_postings": [("items_not_negative", "items >= 0")],
    "ozon_unmapped_types": [("lines_not_negative", "lines >= 0"),
                            ("first_seen_before_last_seen", "first_seen <= last_seen")],
    "sync_runs": [("date_from_before_date_to", "date_from <= date_to"),
                  ("percent_within_0_100", "percent BETWEEN 0 AND 100"),
                  ("counts_not_negative", "lines >= 0 AND requests >= 0")],
    "sku_daily_rollups": [("quantity_not_negative", "quantity >= 0")],
    "sku_monthly_rollups": [("quantity_not_negative", "quantity >= 0")],
    "sku_monthly_packs": [("rows_not_negative", "rows >= 0")],
    "cost_prices": [("components_not_negative",
                     "purchase >= 0 AND delivery >= 0 AND packaging >= 0 AND marking >= 0")],
    "opex_entries": [("amount_positive", "amount > 0")],
    "legal_entities": [("vat_rate_within_0_100", "vat_rate BETWEEN 0 AND 100")],
    "documents": [("size_not_negative", "size >= 0")],
    "tariffs": [("monthly_price_not_negative", "monthly_price >= 0"),
                ("limits_not_negative", "max_shops >= 0 AND max_skus >= 0 AND history_months >= 0")],
    "subscriptions": [("grace_days_not_negative", "grace_days >= 0")],
    "payments": [("amounts_not_negative", "amount >= 0 AND list_price >= 0"),
                 ("periods_not_negative", "months >= 0 AND extra_days >= 0"),
                 ("refund_within_amount", "refunded_amount BETWEEN 0 AND amount")],
    "promo_codes": [("value_in_range", "value > 0 AND (kind <> 'percent' OR value <= 100)"),
                    ("uses_not_negative", "max_uses_per_user >= 0 AND (max_uses_total IS NULL OR max_uses_total >= 0)")],
    "invoices": [("amount_months_not_negative", "amount >= 0 AND months >= 0"),
                 ("vat_rate_within_0_100", "vat_rate IS NULL OR vat_rate BETWEEN 0 AND 100"),
                 ("number_positive", "number > 0")],
}
MONTHS = {"sku_monthly_rollups": "month", "sku_monthly_packs": "month", "opex_entries": "month"}  # PostgreSQL only
SESSION_FK = "fk_web_sessions_account_id_accounts"


def _postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    for table, checks in CHECKS.items():
        with op.batch_alter_table(table) as batch:
            for name, condition in checks:
                batch.create_check_constraint(op.f(f"ck_{table}_{name}"), condition)
    if _postgres():
        for table, column in MONTHS.items():
            op.create_check_constraint(op.f(f"ck_{table}_{column}_first_day"), table, f"EXTRACT(DAY FROM {column}) = 1")
    op.execute("UPDATE web_sessions SET account_id = NULL WHERE account_id NOT IN (SELECT id FROM accounts)")
    with op.batch_alter_table("web_sessions") as batch:
        batch.create_foreign_key(op.f(SESSION_FK), "accounts", ["account_id"], ["id"], ondelete="SET NULL")


def downgrade() -> None:
    with op.batch_alter_table("web_sessions") as batch:
        batch.drop_constraint(op.f(SESSION_FK), type_="foreignkey")
    if _postgres():
        for table, column in MONTHS.items():
            op.drop_constraint(op.f(f"ck_{table}_{column}_first_day"), table, type_="check")
    for table, checks in CHECKS.items():
        with op.batch_alter_table(table) as batch:
            for name, _ in checks:
                batch.drop_constraint(op.f(f"ck_{table}_{name}"), type_="check")
