"""facts and rollups: accrual_lines, sku_daily_rollups, sku_monthly_rollups

Revision ID: 0002_facts_rollups
Revises: 38a8f6ae8742
"""
from __future__ import annotations

import advanced_alchemy.types
import sqlalchemy as sa
from alembic import op

revision = "0002_facts_rollups"
down_revision = "38a8f6ae8742"
branch_labels = None
depends_on = None


def _shop() -> sa.Column:
    return sa.Column("shop_id", advanced_alchemy.types.GUID(length=16),
                     sa.ForeignKey("shops.id", ondelete="CASCADE", name=None), primary_key=True)


def upgrade() -> None:
    op.create_table(
        "accrual_lines", _shop(),
        sa.Column("accrual_id", sa.BigInteger(), primary_key=True),
        sa.Column("line_no", sa.Integer(), primary_key=True),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("category", sa.String(16), nullable=False),
        sa.Column("unit_number", sa.String(64), nullable=True),
        sa.Column("sku", sa.BigInteger(), nullable=True),
        sa.Column("component", sa.String(16), nullable=False),
        sa.Column("type_id", sa.Integer(), nullable=True),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("delivery_schema", sa.String(16), nullable=True),
    )
    op.create_index("ix_accrual_lines_shop_date", "accrual_lines", ["shop_id", "date"])
    for table, period in (("sku_daily_rollups", "day"), ("sku_monthly_rollups", "month")):
        op.create_table(
            table, _shop(),
            sa.Column(period, sa.Date(), primary_key=True),
            sa.Column("sku", sa.BigInteger(), primary_key=True),
            sa.Column("article", sa.SmallInteger(), primary_key=True),
            sa.Column("amount", sa.BigInteger(), nullable=False),
            sa.Column("quantity", sa.BigInteger(), nullable=False),
        )


def downgrade() -> None:
    op.drop_table("sku_monthly_rollups")
    op.drop_table("sku_daily_rollups")
    op.drop_index("ix_accrual_lines_shop_date", "accrual_lines")
    op.drop_table("accrual_lines")
