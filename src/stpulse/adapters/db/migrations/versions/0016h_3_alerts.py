"""alerts: rule settings per account, each member's channel per rule, the alerts (one per cause) and read marks

Revision ID: 0016h_3
Revises: 0016h_2
"""
from __future__ import annotations

import advanced_alchemy
import sqlalchemy as sa
from alembic import op

revision = "0016h_3"
down_revision = "0016h_2"
branch_labels = None
depends_on = None

GUID = advanced_alchemy.types.guid.GUID(length=16)
WHEN = advanced_alchemy.types.datetime.DateTimeUTC(timezone=True)


def upgrade() -> None:
    op.create_table(
        "alert_settings",
        sa.Column("account_id", GUID, nullable=False),
        sa.Column("rule", sa.String(32), nullable=False),
        sa.Column("threshold", sa.Integer(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"], name="fk_alert_settings_account_id_accounts",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("account_id", "rule", name=op.f("pk_alert_settings")),
    )
    op.create_table(
        "alert_channels",
        sa.Column("account_id", GUID, nullable=False),
        sa.Column("user_id", GUID, nullable=False),
        sa.Column("rule", sa.String(32), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"], name="fk_alert_channels_account_id_accounts",
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_alert_channels_user_id_users", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("account_id", "user_id", "rule", name=op.f("pk_alert_channels")),
    )
    op.create_table(
        "alerts",
        sa.Column("id", GUID, nullable=False),
        sa.Column("account_id", GUID, nullable=False),
        sa.Column("rule", sa.String(32), nullable=False),
        sa.Column("cause", sa.String(300), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("body", sa.String(1000), nullable=False),
        sa.Column("url", sa.String(300), nullable=False),
        sa.Column("urgent", sa.Boolean(), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"], name="fk_alerts_account_id_accounts",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alerts")),
        sa.UniqueConstraint("account_id", "cause", name="uq_alerts_account_id_cause"),
    )
    op.create_index("ix_alerts_account_created", "alerts", ["account_id", "created_at"])
    op.create_table(
        "alert_reads",
        sa.Column("alert_id", GUID, nullable=False),
        sa.Column("user_id", GUID, nullable=False),
        sa.Column("read_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(["alert_id"], ["alerts.id"], name="fk_alert_reads_alert_id_alerts", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_alert_reads_user_id_users", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("alert_id", "user_id", name=op.f("pk_alert_reads")),
    )


def downgrade() -> None:
    op.drop_table("alert_reads")
    op.drop_index("ix_alerts_account_created", table_name="alerts")
    op.drop_table("alerts")
    op.drop_table("alert_channels")
    op.drop_table("alert_settings")
