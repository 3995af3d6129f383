"""ozon_anomalies: what the adapter could not trust in an Ozon answer, with the raw record, for the admin

Revision ID: 0011a_ozon_anomalies
Revises: 0011_accrual_asked_day
"""
from __future__ import annotations

import advanced_alchemy.types
import sqlalchemy as sa
from alembic import op

revision = "0011a_ozon_anomalies"
down_revision = "0011_accrual_asked_day"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ozon_anomalies",
        sa.Column("shop_id", advanced_alchemy.types.GUID(length=16),
                  sa.ForeignKey("shops.id", ondelete="CASCADE"), primary_key=True, nullable=False),
        sa.Column("source", sa.String(32), primary_key=True),
        sa.Column("record_id", sa.BigInteger(), primary_key=True),
        sa.Column("reason", sa.String(300), primary_key=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("raw", sa.LargeBinary(), nullable=False),
    )
    op.create_index("ix_ozon_anomalies_shop_day", "ozon_anomalies", ["shop_id", "source", "day"])


def downgrade() -> None:
    op.drop_index("ix_ozon_anomalies_shop_day", table_name="ozon_anomalies")
    op.drop_table("ozon_anomalies")
