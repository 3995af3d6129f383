"""Stock history and supply planning: reserved units in the daily stock snapshots, posting items by day and
warehouse, supply order items in transit, supply parameters per SKU

Revision ID: 0016f
Revises: 0016e
"""
from __future__ import annotations

import advanced_alchemy
import sqlalchemy as sa
from alembic import op

revision = "0016f"
down_revision = "0016e"
branch_labels = None
depends_on = None


def _shop() -> sa.Column:
    return sa.Column("shop_id", advanced_alchemy.types.GUID(length=16),
                     sa.ForeignKey("shops.id", ondelete="CASCADE"), primary_key=True, nullable=False)


def upgrade() -> None:
    with op.batch_alter_table("ozon_stock_snapshots") as batch:
        batch.add_column(sa.Column("reserved", sa.BigInteger(), nullable=False, server_default="0"))
    op.create_table("ozon_posting_warehouses", _shop(), sa.Column("posting_number", sa.String(64), primary_key=True),
                    sa.Column("sku", sa.BigInteger(), primary_key=True), sa.Column("day", sa.Date(), nullable=False),
                    sa.Column("warehouse_id", sa.BigInteger(), nullable=False),
                    sa.Column("quantity", sa.Integer(), nullable=False),
                    sa.Column("cancelled", sa.Boolean(), nullable=False),
                    sa.CheckConstraint("quantity >= 0", name=op.f("ck_ozon_posting_warehouses_quantity_not_negative")))
    op.create_index("ix_ozon_posting_warehouses_shop_day", "ozon_posting_warehouses", ["shop_id", "day"])
    op.create_table("ozon_supply_items", _shop(), sa.Column("supply_id", sa.BigInteger(), primary_key=True),
                    sa.Column("sku", sa.BigInteger(), primary_key=True),
                    sa.Column("order_id", sa.BigInteger(), nullable=False),
                    sa.Column("state", sa.String(64), nullable=False),
                    sa.Column("warehouse_id", sa.BigInteger(), nullable=False),
                    sa.Column("warehouse_name", sa.String(200), nullable=False),
                    sa.Column("cluster_name", sa.String(200), nullable=False),
                    sa.Column("arrival_date", sa.Date(), nullable=True),
                    sa.Column("quantity", sa.Integer(), nullable=False),
                    sa.CheckConstraint("quantity >= 0", name=op.f("ck_ozon_supply_items_quantity_not_negative")))
    op.create_table("supply_params",
                    sa.Column("account_id", advanced_alchemy.types.GUID(length=16),
                              sa.ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True, nullable=False),
                    sa.Column("offer_id", sa.String(100), primary_key=True),
                    sa.Column("lead_days", sa.Integer(), nullable=False),
                    sa.Column("cover_days", sa.Integer(), nullable=False),
                    sa.Column("safety_days", sa.Integer(), nullable=False),
                    sa.Column("box", sa.Integer(), nullable=False),
                    sa.Column("min_order", sa.Integer(), nullable=False),
                    sa.CheckConstraint("lead_days >= 0 AND cover_days >= 0 AND safety_days >= 0 AND box >= 1 "
                                       "AND min_order >= 0", name=op.f("ck_supply_params_params_valid")))


def downgrade() -> None:
    op.drop_table("supply_params")
    op.drop_table("ozon_supply_items")
    op.drop_index("ix_ozon_posting_warehouses_shop_day", table_name="ozon_posting_warehouses")
    op.drop_table("ozon_posting_warehouses")
    with op.batch_alter_table("ozon_stock_snapshots") as batch:
        batch.drop_column("reserved")
