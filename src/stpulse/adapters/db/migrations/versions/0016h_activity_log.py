"""activity_log: the audit log belongs to an account (its team's activity log), read newest first per account

Revision ID: 0016h
Revises: 0016d
"""
from __future__ import annotations

import advanced_alchemy
import sqlalchemy as sa
from alembic import op

revision = "0016h"
down_revision = "0016d"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("account_id", advanced_alchemy.types.guid.GUID(length=16), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_audit_log_account_id_accounts"), "accounts", ["account_id"], ["id"],
                                    ondelete="CASCADE")
        batch_op.create_index("ix_audit_log_account_at", ["account_id", "at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_log_account_at")
        batch_op.drop_constraint(batch_op.f("fk_audit_log_account_id_accounts"), type_="foreignkey")
        batch_op.drop_column("account_id")
