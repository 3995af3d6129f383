"""ad_stats_monthly: the ad statistics summed per month, what the «Реклама» report reads

Revision ID: 0016g_2
Revises: 0016g
"""
from __future__ import annotations

import advanced_alchemy
import sqlalchemy as sa
from alembic import op

revision = "0016g_2"
down_revision = "0016g"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ad_stats_monthly",
        sa.Column("shop_id", advanced_alchemy.types.GUID(length=16), sa.ForeignKey("shops.id", ondelete="CASCADE"),
                  primary_key=True, nullable=False),
        sa.Column("month", sa.Date(), primary_key=True),
        sa.Column("campaign_id", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("sku", sa.BigInteger(), primary_key=True, autoincrement=False),
        *(sa.Column(c, sa.BigInteger(), nullable=False) for c in ("spend", "views", "clicks", "orders", "revenue")))


def downgrade() -> None:
    op.drop_table("ad_stats_monthly")
