"""Операционка, Возвраты, Модели, «Показатели»: posting lines, return details, fact stamps, SKU models, each user's
chosen metrics and the account's highlight thresholds

Revision ID: 0016e
Revises: 0016h_3
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016e"
down_revision = "0016h_3"
branch_labels = None
depends_on = None


def _shop() -> sa.Column:
    return sa.Column("shop_id", sa.Uuid(), sa.ForeignKey("shops.id", ondelete="CASCADE"), primary_key=True,
                     nullable=False)


def upgrade() -> None:
    op.create_table(
        "ozon_posting_items",
        _shop(),
        sa.Column("posting_number", sa.String(64), primary_key=True, nullable=False),
        sa.Column("line", sa.SmallInteger(), primary_key=True, nullable=False),
        sa.Column("sku", sa.BigInteger(), nullable=False),
        sa.Column("created_day", sa.Date(), nullable=False),
        sa.Column("status", sa.String(64), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("price", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("quantity >= 0 AND price >= 0", name="quantity_not_negative"),
    )
    op.create_index("ix_ozon_posting_items_shop_day", "ozon_posting_items", ["shop_id", "created_day", "sku"])
    op.create_table(
        "ozon_fact_stamps",
        _shop(),
        sa.Column("source", sa.String(32), primary_key=True, nullable=False),
        sa.Column("stamp", sa.BigInteger(), nullable=False),
    )
    with op.batch_alter_table("ozon_returns") as batch:
        batch.add_column(sa.Column("returned_day", sa.Date(), nullable=True))
        batch.add_column(sa.Column("price", sa.BigInteger(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("status", sa.String(64), nullable=False, server_default=""))
        batch.add_column(sa.Column("compensation_status", sa.String(32), nullable=False, server_default=""))
        batch.add_column(sa.Column("utilization_sum", sa.BigInteger(), nullable=False, server_default="0"))
    op.create_index("ix_ozon_returns_shop_day", "ozon_returns", ["shop_id", "returned_day"])
    op.create_table(
        "sku_models",
        sa.Column("account_id", sa.Uuid(), sa.ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True,
                  nullable=False),
        sa.Column("offer_id", sa.String(128), primary_key=True, nullable=False),
        sa.Column("model", sa.String(200), nullable=False),
    )
    op.create_table(
        "report_metric_choices",
        sa.Column("user_id", sa.Uuid(), sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True,
                  nullable=False),
        sa.Column("account_id", sa.Uuid(), sa.ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True,
                  nullable=False),
        sa.Column("report", sa.String(32), primary_key=True, nullable=False),
        sa.Column("metrics", sa.String(2000), nullable=False),
    )
    op.create_table(
        "report_highlight_thresholds",
        sa.Column("account_id", sa.Uuid(), sa.ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True,
                  nullable=False),
        sa.Column("rule", sa.String(64), primary_key=True, nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("report_highlight_thresholds")
    op.drop_table("report_metric_choices")
    op.drop_table("sku_models")
    op.drop_index("ix_ozon_returns_shop_day", table_name="ozon_returns")
    with op.batch_alter_table("ozon_returns") as batch:
        for column in ("utilization_sum", "compensation_status", "status", "price", "returned_day"):
            batch.drop_column(column)
    op.drop_table("ozon_fact_stamps")
    op.drop_index("ix_ozon_posting_items_shop_day", table_name="ozon_posting_items")
    op.drop_table("ozon_posting_items")
