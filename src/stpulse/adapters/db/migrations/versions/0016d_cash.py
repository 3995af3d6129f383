"""cash: ДДС money accounts, categories and entries

Revision ID: 0016d
Revises: 0016c_2
"""
from __future__ import annotations

import advanced_alchemy.types
import sqlalchemy as sa
from alembic import op

revision = "0016d"
down_revision = "0016c_2"
branch_labels = None
depends_on = None

_UTC = advanced_alchemy.types.datetime.DateTimeUTC
_GUID = advanced_alchemy.types.GUID


def _audit(table: str, *columns: sa.Column | sa.Constraint) -> None:
    op.create_table(
        table,
        sa.Column("id", _GUID(length=16), primary_key=True),
        sa.Column("account_id", _GUID(length=16), sa.ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
        *columns,
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", _UTC(timezone=True), nullable=False),
        sa.Column("updated_at", _UTC(timezone=True), nullable=False),
    )


def upgrade() -> None:
    _audit("cash_accounts", sa.Column("name", sa.String(100), nullable=False),
           sa.Column("kind", sa.String(16), nullable=False), sa.Column("opening_date", sa.Date(), nullable=False),
           sa.Column("opening_balance", sa.BigInteger(), nullable=False),
           sa.Column("receives_payouts", sa.Boolean(), nullable=False),
           sa.UniqueConstraint("account_id", "name", name=op.f("uq_cash_accounts_account_id")))
    op.create_index("ix_cash_accounts_account_id", "cash_accounts", ["account_id"])
    _audit("cash_categories", sa.Column("name", sa.String(100), nullable=False),
           sa.Column("activity", sa.String(16), nullable=False), sa.Column("flow", sa.String(16), nullable=False),
           sa.UniqueConstraint("account_id", "name", name=op.f("uq_cash_categories_account_id")))
    op.create_index("ix_cash_categories_account_id", "cash_categories", ["account_id"])
    _audit("cash_entries",
           sa.Column("money_account_id", _GUID(length=16), sa.ForeignKey("cash_accounts.id", ondelete="RESTRICT"),
                     nullable=False),
           sa.Column("category_id", _GUID(length=16), sa.ForeignKey("cash_categories.id", ondelete="RESTRICT"),
                     nullable=False),
           sa.Column("date", sa.Date(), nullable=False), sa.Column("amount", sa.BigInteger(), nullable=False),
           sa.Column("comment", sa.String(200), nullable=False),
           sa.CheckConstraint("amount > 0", name=op.f("ck_cash_entries_amount_positive")))
    op.create_index("ix_cash_entries_account_date", "cash_entries", ["account_id", "date"])
    op.create_index("ix_cash_entries_money_account_id", "cash_entries", ["money_account_id"])
    op.create_index("ix_cash_entries_category_id", "cash_entries", ["category_id"])


def downgrade() -> None:
    op.drop_table("cash_entries")
    op.drop_table("cash_categories")
    op.drop_table("cash_accounts")
