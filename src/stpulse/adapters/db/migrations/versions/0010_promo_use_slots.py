"""promo uses take numbered slots: unique (code, user, user_slot) and (code, total_slot) make the use limits hold
under concurrent payments (issue 19, item 3)

Revision ID: 0010_promo_use_slots
Revises: 0009_invariants
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_promo_use_slots"
down_revision = "0009_invariants"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("promo_uses") as batch:
        batch.add_column(sa.Column("user_slot", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("total_slot", sa.Integer(), nullable=True))
    # number the uses already recorded, in the order they happened (window functions: PostgreSQL and SQLite ≥ 3.25)
    op.execute("""
        UPDATE promo_uses SET
          user_slot = (SELECT n FROM (SELECT id, row_number() OVER (PARTITION BY code, user_id ORDER BY used_at, id)
                                             AS n FROM promo_uses) AS numbered WHERE numbered.id = promo_uses.id),
          total_slot = (SELECT n FROM (SELECT id, row_number() OVER (PARTITION BY code ORDER BY used_at, id) AS n
                                       FROM promo_uses) AS numbered WHERE numbered.id = promo_uses.id)
    """)
    with op.batch_alter_table("promo_uses") as batch:
        batch.alter_column("user_slot", existing_type=sa.Integer(), nullable=False)
        batch.create_unique_constraint("uq_promo_uses_user_slot", ["code", "user_id", "user_slot"])
        batch.create_unique_constraint("uq_promo_uses_total_slot", ["code", "total_slot"])


def downgrade() -> None:
    with op.batch_alter_table("promo_uses") as batch:
        batch.drop_constraint("uq_promo_uses_total_slot", type_="unique")
        batch.drop_constraint("uq_promo_uses_user_slot", type_="unique")
        batch.drop_column("total_slot")
        batch.drop_column("user_slot")
