"""drill-down: Ozon's names of accrual types (stored by the sync) and an index for the posting filter
(issue 18, item 4)

Revision ID: 0012_drill_down
Revises: 0010_promo_use_slots
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_drill_down"
down_revision = "0010_promo_use_slots"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ozon_accrual_types",
        sa.Column("type_id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("name", sa.String(500), nullable=False),
    )
    # a posting's lines are looked up by its number across the whole history: without it, a scan of the shop
    op.create_index("ix_accrual_lines_shop_posting", "accrual_lines", ["shop_id", "unit_number"])


def downgrade() -> None:
    op.drop_index("ix_accrual_lines_shop_posting", table_name="accrual_lines")
    op.drop_table("ozon_accrual_types")
