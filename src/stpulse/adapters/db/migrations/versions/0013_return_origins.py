"""accrual_lines by posting: a return finds the sale it reverses (same posting number and SKU)

Revision ID: 0013_return_origins
Revises: 0011a_ozon_anomalies
"""
from __future__ import annotations

from alembic import op

revision = "0013_return_origins"
down_revision = "0011a_ozon_anomalies"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_accrual_lines_shop_unit", "accrual_lines", ["shop_id", "unit_number"])


def downgrade() -> None:
    op.drop_index("ix_accrual_lines_shop_unit", table_name="accrual_lines")
