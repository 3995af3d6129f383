"""sent_notices: the e-mails and alerts already sent, by the key naming their cause (each goes out once)

Revision ID: 0016h_2
Revises: 0016h
"""
from __future__ import annotations

import advanced_alchemy
import sqlalchemy as sa
from alembic import op

revision = "0016h_2"
down_revision = "0016h"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sent_notices",
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("sent_at", advanced_alchemy.types.datetime.DateTimeUTC(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_sent_notices")),
    )


def downgrade() -> None:
    op.drop_table("sent_notices")
