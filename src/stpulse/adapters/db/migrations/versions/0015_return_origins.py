"""accrual_lines by posting: a return finds the sale it reverses (same posting number and SKU)

Revision ID: 0015_return_origins
Revises: 0014_accrual_type_names
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015_return_origins"
down_revision = "0014_accrual_type_names"
branch_labels = None
depends_on = None


# only the sale lines, with the SKU and the date in the key: the latest sale of a posting's SKU is an index probe;
# the return lines of a period are read through their own small index, not by a scan of every line of the shop
_SALES = sa.text("component = 'sale' AND amount > 0")
_RETURNS = sa.text("component = 'sale' AND amount < 0")


def upgrade() -> None:
    op.create_index("ix_accrual_lines_shop_unit", "accrual_lines", ["shop_id", "unit_number", "sku", "date"],
                    postgresql_where=_SALES, sqlite_where=_SALES)
    op.create_index("ix_accrual_lines_shop_returns", "accrual_lines", ["shop_id", "date", "sku", "unit_number", "quantity"],
                    postgresql_where=_RETURNS, sqlite_where=_RETURNS)


def downgrade() -> None:
    op.drop_index("ix_accrual_lines_shop_returns", table_name="accrual_lines")
    op.drop_index("ix_accrual_lines_shop_unit", table_name="accrual_lines")
