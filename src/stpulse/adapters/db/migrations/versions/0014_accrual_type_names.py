"""ozon_accrual_types: Ozon's name and description per accrual type id (/v1/finance/accrual/types)

Revision ID: 0014_accrual_type_names
Revises: 0013_drill_down
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014_accrual_type_names"
down_revision = "0013_drill_down"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ozon_accrual_types",
        sa.Column("type_id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("description", sa.String(500), nullable=False),
        sa.Column("fetched_on", sa.Date(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("ozon_accrual_types")
