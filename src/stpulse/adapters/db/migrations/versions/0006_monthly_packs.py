"""monthly rollup packs: sku_monthly_packs, one binary row per (shop, month) for the reports

Revision ID: 0006_monthly_packs
Revises: 0002_facts_rollups
"""
from __future__ import annotations

import advanced_alchemy.types
import sqlalchemy as sa
from alembic import op

revision = "0006_monthly_packs"
down_revision = "0002_facts_rollups"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sku_monthly_packs",
        sa.Column("shop_id", advanced_alchemy.types.GUID(length=16),
                  sa.ForeignKey("shops.id", ondelete="CASCADE", name=None), primary_key=True),
        sa.Column("month", sa.Date(), primary_key=True),
        sa.Column("stamp", sa.BigInteger(), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE sku_monthly_packs ALTER COLUMN data SET STORAGE EXTERNAL")  # no pglz on read
        # the months already in sku_monthly_rollups (same packing as adapters/db/rollup_packs.py)
        op.execute(
            "INSERT INTO sku_monthly_packs (shop_id, month, stamp, rows, data) "
            "SELECT shop_id, month, (random() * 4e18)::bigint, count(*), string_agg(int8send(sku) || "
            "int2send(article) || int8send(amount) || int8send(quantity), ''::bytea ORDER BY sku, article) "
            "FROM sku_monthly_rollups GROUP BY shop_id, month")


def downgrade() -> None:
    op.drop_table("sku_monthly_packs")
