"""ads: Performance API keys per shop (encrypted secrets), their campaigns, and the statistics per campaign, SKU, day

Revision ID: 0016g
Revises: 0016f
"""
from __future__ import annotations

import advanced_alchemy
import sqlalchemy as sa
from alembic import op

revision = "0016g"
down_revision = "0016f"
branch_labels = None
depends_on = None


def _guid(name: str, target: str, primary_key: bool = False) -> sa.Column:
    return sa.Column(name, advanced_alchemy.types.GUID(length=16), sa.ForeignKey(target, ondelete="CASCADE"),
                     primary_key=primary_key, nullable=False)


def _when(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, advanced_alchemy.types.DateTimeUTC(timezone=True), nullable=nullable)


def _count(name: str) -> sa.Column:
    return sa.Column(name, sa.BigInteger(), nullable=False)


def upgrade() -> None:
    op.create_table(
        "performance_keys", sa.Column("id", advanced_alchemy.types.GUID(length=16), primary_key=True),
        _guid("account_id", "accounts.id"), _guid("shop_id", "shops.id"),
        sa.Column("label", sa.String(100), nullable=False), sa.Column("organisation", sa.String(200), nullable=False),
        sa.Column("client_id", sa.String(200), nullable=False),
        sa.Column("secret_encrypted", sa.LargeBinary(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False), sa.Column("last_error", sa.String(500), nullable=False),
        _when("created_at", False), sa.Column("done_through", sa.Date(), nullable=True), _when("last_sync_at"),
        sa.UniqueConstraint("shop_id", "client_id"))
    op.create_index("ix_performance_keys_account_id", "performance_keys", ["account_id"])
    op.create_index("ix_performance_keys_shop_id", "performance_keys", ["shop_id"])
    op.create_table(
        "ad_campaigns", _guid("shop_id", "shops.id", True),
        sa.Column("campaign_id", sa.BigInteger(), primary_key=True, autoincrement=False),
        _guid("key_id", "performance_keys.id"), sa.Column("title", sa.String(300), nullable=False),
        sa.Column("adv_type", sa.String(32), nullable=False), sa.Column("payment", sa.String(16), nullable=False))
    op.create_index("ix_ad_campaigns_key_id", "ad_campaigns", ["key_id"])
    op.create_table(
        "ad_stats", _guid("shop_id", "shops.id", True), sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("campaign_id", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("sku", sa.BigInteger(), primary_key=True, autoincrement=False),
        _guid("key_id", "performance_keys.id"), _count("spend"), _count("views"), _count("clicks"), _count("orders"),
        _count("revenue"), _count("cabinet"),
        sa.CheckConstraint("spend >= 0", name="spend_not_negative"),
        sa.CheckConstraint("cabinet >= 0", name="cabinet_not_negative"))
    op.create_index("ix_ad_stats_key", "ad_stats", ["key_id"])


def downgrade() -> None:
    op.drop_table("ad_stats")
    op.drop_table("ad_campaigns")
    op.drop_table("performance_keys")
