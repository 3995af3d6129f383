"""one-time tokens carry a payload (the new address of an e-mail change)

Revision ID: 0008_token_payload
Revises: 0007_merge_heads
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_token_payload"
down_revision = "0007_merge_heads"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("one_time_tokens") as batch:
        batch.add_column(sa.Column("payload", sa.String(length=254), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("one_time_tokens") as batch:
        batch.drop_column("payload")
