"""plan_targets: План's monthly targets per shop or product (issue 15)

Revision ID: 0016i_plan_targets
Revises: 0015b_ledger_remaps
"""
from __future__ import annotations

import advanced_alchemy.types
import sqlalchemy as sa
from alembic import op

revision = "0016i_plan_targets"
down_revision = "0015b_ledger_remaps"
branch_labels = None
depends_on = None

_UTC = advanced_alchemy.types.datetime.DateTimeUTC
_GUID = advanced_alchemy.types.GUID


def upgrade() -> None:
    op.create_table(
        "plan_targets",
        sa.Column("id", _GUID(length=16), primary_key=True),
        sa.Column("account_id", _GUID(length=16), sa.ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
        sa.Column("shop_id", _GUID(length=16), sa.ForeignKey("shops.id", ondelete="CASCADE"), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("offer_id", sa.String(100), nullable=False),
        sa.Column("revenue", sa.BigInteger(), nullable=True),
        sa.Column("units", sa.BigInteger(), nullable=True),
        sa.Column("profit", sa.BigInteger(), nullable=True),
        sa.Column("ad_budget", sa.BigInteger(), nullable=True),
        sa.Column("drr_bp", sa.Integer(), nullable=True),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", _UTC(timezone=True), nullable=False),
        sa.Column("updated_at", _UTC(timezone=True), nullable=False),
        sa.UniqueConstraint("shop_id", "month", "offer_id"),
        sa.CheckConstraint("coalesce(revenue, 0) >= 0 AND coalesce(units, 0) >= 0 AND coalesce(ad_budget, 0) >= 0 "
                           "AND coalesce(drr_bp, 0) >= 0", name=op.f("ck_plan_targets_targets_not_negative")),
    )
    op.create_index("ix_plan_targets_account_month", "plan_targets", ["account_id", "month"])
    if op.get_bind().dialect.name == "postgresql":
        op.create_check_constraint(op.f("ck_plan_targets_month_first_day"), "plan_targets",
                                   "EXTRACT(DAY FROM month) = 1")


def downgrade() -> None:
    op.drop_index("ix_plan_targets_account_month", "plan_targets")
    op.drop_table("plan_targets")
