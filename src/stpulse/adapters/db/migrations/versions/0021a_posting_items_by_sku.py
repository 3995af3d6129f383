"""An index of the posting lines by shop, SKU and day, with the columns the estimate's by-day read sums.

ОПиУ's estimate by order date reads, for the SKUs whose cost price changes inside a month, their lines day by day
(`adapters/db/reports/orders.py::order_arrays` with `skus`). Through `ix_ozon_posting_items_shop_day` (shop, day,
SKU) that read walks the whole month of the shop and filters the SKUs: ~55 ms for a month of the large bench profile
(5,000 SKUs, ~140,000 lines a month). By (shop, SKU, day) with status, quantity and price included it is an
index-only range per SKU: ~19 ms. The month reads keep the first index.

Revision ID: 0021a
Revises: 0020a
"""
from __future__ import annotations

from alembic import op

revision = "0021a"
down_revision = "0020a"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_ozon_posting_items_shop_sku_day", "ozon_posting_items", ["shop_id", "sku", "created_day"],
                    postgresql_include=["status", "quantity", "price"])


def downgrade() -> None:
    op.drop_index("ix_ozon_posting_items_shop_sku_day", table_name="ozon_posting_items")
