"""merge the branches of issues 3, 4 and 5 into one head

Revision ID: 0007_merge_heads
Revises: 0003_ozon_sync, 0004_money, 0005_billing, 0006_monthly_packs
"""
from __future__ import annotations

revision = "0007_merge_heads"
down_revision = ("0003_ozon_sync", "0004_money", "0005_billing", "0006_monthly_packs")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
