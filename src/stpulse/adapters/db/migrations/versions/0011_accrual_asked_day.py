"""accrual_lines.asked_day: the day whose /v1/finance/accrual/by-day answer carried the line

Ozon may date an accrual on another day than the one asked for; a re-import replaces the lines of the days it
asks for, which are no longer the lines' dates. Existing lines were all dated the day asked for.

Revision ID: 0011_accrual_asked_day
Revises: 0010_promo_use_slots
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_accrual_asked_day"
down_revision = "0010_promo_use_slots"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("accrual_lines", sa.Column("asked_day", sa.Date(), nullable=True))
    op.execute("UPDATE accrual_lines SET asked_day = date")
    with op.batch_alter_table("accrual_lines") as batch:
        batch.alter_column("asked_day", existing_type=sa.Date(), nullable=False)
    op.create_index("ix_accrual_lines_shop_asked_day", "accrual_lines", ["shop_id", "asked_day"])


def downgrade() -> None:
    op.drop_index("ix_accrual_lines_shop_asked_day", table_name="accrual_lines")
    with op.batch_alter_table("accrual_lines") as batch:
        batch.drop_column("asked_day")
