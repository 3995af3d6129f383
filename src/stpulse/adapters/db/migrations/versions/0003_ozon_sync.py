"""ozon sync: raw days, postings, returns, products, stock snapshots, unmapped types, sync runs; shop sync range

Revision ID: 0003_ozon_sync
Revises: 0002_facts_rollups
"""
from __future__ import annotations

import advanced_alchemy.types
import sqlalchemy as sa
from alembic import op

revision = "0003_ozon_sync"
down_revision = "0002_facts_rollups"
branch_labels = None
depends_on = None

_TABLES = ("sync_runs", "ozon_unmapped_types", "ozon_stock_snapshots", "ozon_products", "ozon_returns",
           "ozon_postings", "ozon_raw_days")


def _shop(primary_key: bool = True) -> sa.Column:
    return sa.Column("shop_id", advanced_alchemy.types.GUID(length=16),
                     sa.ForeignKey("shops.id", ondelete="CASCADE"), primary_key=primary_key, nullable=False)


def _when(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, advanced_alchemy.types.DateTimeUTC(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table("ozon_raw_days", _shop(), sa.Column("source", sa.String(32), primary_key=True),
                    sa.Column("day", sa.Date(), primary_key=True), sa.Column("records", sa.Integer(), nullable=False),
                    sa.Column("payload", sa.LargeBinary(), nullable=False))
    op.create_table("ozon_postings", _shop(), sa.Column("posting_number", sa.String(64), primary_key=True),
                    sa.Column("scheme", sa.String(8), nullable=False), sa.Column("order_id", sa.BigInteger(), nullable=False),
                    sa.Column("status", sa.String(64), nullable=False), _when("created_at"),
                    sa.Column("cancel_reason_id", sa.BigInteger(), nullable=False),
                    sa.Column("warehouse_id", sa.BigInteger(), nullable=True),
                    sa.Column("items", sa.Integer(), nullable=False), sa.Column("raw", sa.LargeBinary(), nullable=False))
    op.create_index("ix_ozon_postings_shop_created", "ozon_postings", ["shop_id", "created_at"])
    op.create_table("ozon_returns", _shop(), sa.Column("return_id", sa.BigInteger(), primary_key=True),
                    sa.Column("posting_number", sa.String(64), nullable=False),
                    sa.Column("sku", sa.BigInteger(), nullable=False), sa.Column("quantity", sa.Integer(), nullable=False),
                    sa.Column("type", sa.String(32), nullable=False), sa.Column("reason", sa.String(500), nullable=False),
                    _when("returned_at"), sa.Column("raw", sa.LargeBinary(), nullable=False))
    op.create_table("ozon_products", _shop(), sa.Column("product_id", sa.BigInteger(), primary_key=True),
                    sa.Column("offer_id", sa.String(128), nullable=False), sa.Column("sku", sa.BigInteger(), nullable=False),
                    sa.Column("name", sa.String(500), nullable=False), sa.Column("barcodes", sa.String(1000), nullable=False),
                    sa.Column("price", sa.BigInteger(), nullable=False), sa.Column("archived", sa.Boolean(), nullable=False),
                    sa.Column("raw", sa.LargeBinary(), nullable=False))
    op.create_table("ozon_stock_snapshots", _shop(), sa.Column("day", sa.Date(), primary_key=True),
                    sa.Column("sku", sa.BigInteger(), primary_key=True),
                    sa.Column("warehouse_id", sa.BigInteger(), primary_key=True),
                    sa.Column("cluster_name", sa.String(200), nullable=False),
                    sa.Column("warehouse_name", sa.String(200), nullable=False),
                    sa.Column("available", sa.BigInteger(), nullable=False),
                    sa.Column("transit", sa.BigInteger(), nullable=False))
    op.create_table("ozon_unmapped_types", _shop(), sa.Column("type_id", sa.Integer(), primary_key=True),
                    sa.Column("first_seen", sa.Date(), nullable=False), sa.Column("last_seen", sa.Date(), nullable=False),
                    sa.Column("lines", sa.BigInteger(), nullable=False))
    _sync_runs()
    with op.batch_alter_table("shops") as batch:
        batch.add_column(sa.Column("synced_from", sa.Date(), nullable=True))
        batch.add_column(sa.Column("synced_to", sa.Date(), nullable=True))


def _sync_runs() -> None:
    op.create_table(
        "sync_runs", sa.Column("id", advanced_alchemy.types.GUID(length=16), primary_key=True), _shop(False),
        sa.Column("kind", sa.String(16), nullable=False), sa.Column("status", sa.String(16), nullable=False),
        sa.Column("date_from", sa.Date(), nullable=False), sa.Column("date_to", sa.Date(), nullable=False),
        sa.Column("done_through", sa.Date(), nullable=True), sa.Column("percent", sa.SmallInteger(), nullable=False),
        sa.Column("step", sa.String(200), nullable=False), sa.Column("error", sa.String(2000), nullable=False),
        sa.Column("lines", sa.BigInteger(), nullable=False), sa.Column("requests", sa.Integer(), nullable=False),
        _when("created_at", False), _when("updated_at", False), _when("finished_at"),
    )
    op.create_index("ix_sync_runs_shop_created", "sync_runs", ["shop_id", "created_at"])


def downgrade() -> None:
    with op.batch_alter_table("shops") as batch:
        batch.drop_column("synced_to")
        batch.drop_column("synced_from")
    op.drop_index("ix_sync_runs_shop_created", "sync_runs")
    op.drop_index("ix_ozon_postings_shop_created", "ozon_postings")
    for table in _TABLES:
        op.drop_table(table)
