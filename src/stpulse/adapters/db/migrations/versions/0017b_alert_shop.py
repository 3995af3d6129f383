"""alerts.shop_id: the shop an alert concerns (None: the account as a whole), so a member restricted to some shops
sees and receives only their shops' alerts

Revision ID: 0017b
Revises: 0016g_2
"""
from __future__ import annotations

import advanced_alchemy
import sqlalchemy as sa
from alembic import op

revision = "0017b"
down_revision = "0016g_2"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("alerts") as batch:
        batch.add_column(sa.Column("shop_id", advanced_alchemy.types.GUID(length=16), nullable=True))
        batch.create_foreign_key(op.f("fk_alerts_shop_id_shops"), "shops", ["shop_id"], ["id"], ondelete="CASCADE")


def downgrade() -> None:
    with op.batch_alter_table("alerts") as batch:
        batch.drop_constraint(op.f("fk_alerts_shop_id_shops"), type_="foreignkey")
        batch.drop_column("shop_id")
