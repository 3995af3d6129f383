"""ozon_buyouts: goods bought out by Ozon (/v1/finance/products/buyout) per posting and SKU, dated by the day
whose answer carried them; sync_runs.buyouts_through: the buyouts' checkpoint of a run

Revision ID: 0016b_ozon_buyouts
Revises: 0016i_plan_targets
"""
from __future__ import annotations

import advanced_alchemy.types
import sqlalchemy as sa
from alembic import op

revision = "0016b_ozon_buyouts"
down_revision = "0016i_plan_targets"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ozon_buyouts",
        sa.Column("shop_id", advanced_alchemy.types.GUID(length=16),
                  sa.ForeignKey("shops.id", ondelete="CASCADE"), primary_key=True, nullable=False),
        sa.Column("posting_number", sa.String(64), primary_key=True),
        sa.Column("sku", sa.BigInteger(), primary_key=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("offer_id", sa.String(128), nullable=False),
        sa.Column("name", sa.String(500), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("seller_price", sa.BigInteger(), nullable=False),
        sa.Column("buyout_price", sa.BigInteger(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("vat_percent", sa.Integer(), nullable=False),
        sa.Column("raw", sa.LargeBinary(), nullable=False),
        sa.CheckConstraint("quantity >= 0", name=op.f("ck_ozon_buyouts_quantity_not_negative")),
    )
    op.create_index("ix_ozon_buyouts_shop_day", "ozon_buyouts", ["shop_id", "day"])
    with op.batch_alter_table("sync_runs") as batch:
        batch.add_column(sa.Column("buyouts_through", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sync_runs") as batch:
        batch.drop_column("buyouts_through")
    op.drop_index("ix_ozon_buyouts_shop_day", table_name="ozon_buyouts")
    op.drop_table("ozon_buyouts")
