"""drill-down: indexes for the posting and SKU filters (issue 18, item 4); the type names come in 0014

Revision ID: 0013_drill_down
Revises: 0012_job_outbox
"""
from __future__ import annotations

from alembic import op

revision = "0013_drill_down"
down_revision = "0012_job_outbox"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a posting's or a SKU's lines are looked up among all the shop's lines of the period: without these, a scan
    # of the shop's days (bench/drill.py: SKU filter 0.9 s → see docs/reports.md on the large profile)
    op.create_index("ix_accrual_lines_shop_posting", "accrual_lines", ["shop_id", "unit_number"])
    op.create_index("ix_accrual_lines_shop_sku_date", "accrual_lines", ["shop_id", "sku", "date"])


def downgrade() -> None:
    op.drop_index("ix_accrual_lines_shop_sku_date", table_name="accrual_lines")
    op.drop_index("ix_accrual_lines_shop_posting", table_name="accrual_lines")
