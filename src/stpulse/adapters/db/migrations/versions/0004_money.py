"""money: ledger mapping (seeded), cost prices, own expenses, API tokens

Revision ID: 0004_money
Revises: 0002_facts_rollups
"""
from __future__ import annotations

import advanced_alchemy.types
import sqlalchemy as sa
from alembic import op

from stpulse.domain.ledger.default_mapping import DEFAULT_TYPE_ARTICLES

revision = "0004_money"
down_revision = "0002_facts_rollups"
branch_labels = None
depends_on = None

_UTC = advanced_alchemy.types.datetime.DateTimeUTC


def _audit(table: str, *columns: sa.Column, unique: tuple = ()) -> None:
    extra = [sa.UniqueConstraint(*unique)] if unique else []
    op.create_table(
        table,
        sa.Column("id", advanced_alchemy.types.GUID(length=16), primary_key=True),
        *columns,
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", _UTC(timezone=True), nullable=False),
        sa.Column("updated_at", _UTC(timezone=True), nullable=False),
        *extra,
    )


def _account() -> sa.Column:
    return sa.Column("account_id", advanced_alchemy.types.GUID(length=16),
                     sa.ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False)


def upgrade() -> None:
    mapping = op.create_table(
        "ledger_type_articles",
        sa.Column("type_id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("article", sa.String(32), nullable=False),
        sa.Column("updated_at", _UTC(timezone=True), nullable=True),
    )
    op.bulk_insert(mapping, [{"type_id": t, "article": a} for t, a in sorted(DEFAULT_TYPE_ARTICLES.items())])
    _audit("cost_prices", _account(), sa.Column("offer_id", sa.String(100), nullable=False),
           sa.Column("effective_from", sa.Date(), nullable=False),
           *(sa.Column(c, sa.BigInteger(), nullable=False) for c in ("purchase", "delivery", "packaging", "marking")),
           unique=("account_id", "offer_id", "effective_from"))
    op.create_index("ix_cost_prices_account_id", "cost_prices", ["account_id"])
    _audit("opex_entries", _account(),
           sa.Column("shop_id", advanced_alchemy.types.GUID(length=16),
                     sa.ForeignKey("shops.id", ondelete="CASCADE"), nullable=True),
           sa.Column("month", sa.Date(), nullable=False), sa.Column("article", sa.String(100), nullable=False),
           sa.Column("amount", sa.BigInteger(), nullable=False))
    op.create_index("ix_opex_entries_account_month", "opex_entries", ["account_id", "month"])
    _audit("api_tokens", _account(),
           sa.Column("user_id", advanced_alchemy.types.GUID(length=16),
                     sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
           sa.Column("name", sa.String(100), nullable=False),
           sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
           sa.Column("prefix", sa.String(16), nullable=False),
           sa.Column("revoked_at", _UTC(timezone=True), nullable=True),
           sa.Column("last_used_at", _UTC(timezone=True), nullable=True))
    op.create_index("ix_api_tokens_account_id", "api_tokens", ["account_id"])


def downgrade() -> None:
    op.drop_index("ix_api_tokens_account_id", "api_tokens")
    op.drop_table("api_tokens")
    op.drop_index("ix_opex_entries_account_month", "opex_entries")
    op.drop_table("opex_entries")
    op.drop_index("ix_cost_prices_account_id", "cost_prices")
    op.drop_table("cost_prices")
    op.drop_table("ledger_type_articles")
