"""usn_base: a legal entity's base for УСН «доходы» — the realization report (default) or Ozon's payouts

Revision ID: 0016c_2
Revises: 0016c
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016c_2"
down_revision = "0016c"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("legal_entities") as batch:
        batch.add_column(sa.Column("usn_base", sa.String(16), nullable=False, server_default="sales"))


def downgrade() -> None:
    with op.batch_alter_table("legal_entities") as batch:
        batch.drop_column("usn_base")
