"""ozon_order_months: the posting lines summed per shop, month and SKU (ordered and cancelled units and kopecks),
rebuilt by the postings writer for the months it touches — ОПиУ's estimate and Операционка by month read it
instead of a year of posting lines. Filled here from the lines already stored.

Revision ID: 0018a
Revises: 0017b
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018a"
down_revision = "0017b"
branch_labels = None
depends_on = None

_CANCELLED = "status LIKE 'cancelled%'"


def upgrade() -> None:
    op.create_table(
        "ozon_order_months",
        sa.Column("shop_id", sa.Uuid(), sa.ForeignKey("shops.id", ondelete="CASCADE"), primary_key=True,
                  nullable=False),
        sa.Column("month", sa.Date(), primary_key=True, nullable=False),
        sa.Column("sku", sa.BigInteger(), primary_key=True, nullable=False),
        sa.Column("ordered_units", sa.BigInteger(), nullable=False),
        sa.Column("ordered_amount", sa.BigInteger(), nullable=False),
        sa.Column("cancelled_units", sa.BigInteger(), nullable=False),
        sa.Column("cancelled_amount", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("ordered_units >= 0 AND ordered_amount >= 0 AND cancelled_units >= 0 "
                           "AND cancelled_amount >= 0", name="counts_not_negative"),
        sa.CheckConstraint("cancelled_units <= ordered_units", name="cancelled_units_before_ordered_units"),
    )
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        op.create_check_constraint(op.f("ck_ozon_order_months_month_first_day"), "ozon_order_months",
                                   "EXTRACT(DAY FROM month) = 1")
    month = "CAST(date_trunc('month', created_day) AS date)" if postgres else "date(created_day, 'start of month')"
    op.execute(
        "INSERT INTO ozon_order_months (shop_id, month, sku, ordered_units, ordered_amount, cancelled_units, "
        f"cancelled_amount) SELECT shop_id, {month}, sku, SUM(quantity), SUM(quantity * price), "
        f"SUM(CASE WHEN {_CANCELLED} THEN quantity ELSE 0 END), "
        f"SUM(CASE WHEN {_CANCELLED} THEN quantity * price ELSE 0 END) "
        f"FROM ozon_posting_items GROUP BY shop_id, {month}, sku")


def downgrade() -> None:
    op.drop_table("ozon_order_months")
