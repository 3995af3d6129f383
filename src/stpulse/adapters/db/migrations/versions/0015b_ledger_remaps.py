"""ledger_remaps: an admin's mapping change recalculating the stored months of the type, with its progress

Revision ID: 0015b_ledger_remaps
Revises: 0015_return_origins
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015b_ledger_remaps"
down_revision = "0015_return_origins"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ledger_remaps",
        sa.Column("type_id", sa.Integer(), primary_key=True, nullable=False),
        sa.Column("article", sa.String(64), nullable=False),
        sa.Column("was_unmapped", sa.Boolean(), nullable=False),
        sa.Column("months_done", sa.Integer(), nullable=False),
        sa.Column("months_total", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("ledger_remaps")
