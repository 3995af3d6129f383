"""job outbox: jobs written in the transaction of the change that asks for them, relayed to Redis after commit
(issue 19, «jobs never lost»)

Revision ID: 0012_job_outbox
Revises: 0011a_ozon_anomalies
"""
from __future__ import annotations

import advanced_alchemy.types
import sqlalchemy as sa
from alembic import op

revision = "0012_job_outbox"
down_revision = "0011a_ozon_anomalies"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "job_outbox",
        sa.Column("id", advanced_alchemy.types.GUID(length=16), nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("job", sa.String(64), nullable=False),
        sa.Column("ids", sa.Text(), nullable=False),
        sa.Column("created_at", advanced_alchemy.types.DateTimeUTC(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_job_outbox"),
    )
    op.create_index("ix_job_outbox_created_at", "job_outbox", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_job_outbox_created_at", table_name="job_outbox")
    op.drop_table("job_outbox")
