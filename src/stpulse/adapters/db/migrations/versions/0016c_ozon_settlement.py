"""ozon_settlement: the realization report, the cash-flow statement, the balance by day and the accrual day sums
for «Сверка с Ozon» and ДДС

Revision ID: 0016c
Revises: 0016b_ozon_buyouts
"""
from __future__ import annotations

import advanced_alchemy.types
import sqlalchemy as sa
from alembic import op

revision = "0016c"
down_revision = "0016b_ozon_buyouts"
branch_labels = None
depends_on = None


def _shop() -> sa.Column:
    return sa.Column("shop_id", advanced_alchemy.types.GUID(length=16), sa.ForeignKey("shops.id", ondelete="CASCADE"),
                     primary_key=True, nullable=False)


def _money(*names: str, nullable: bool = False) -> list[sa.Column]:
    return [sa.Column(n, sa.BigInteger(), nullable=nullable) for n in names]


def upgrade() -> None:
    op.create_table(
        "ozon_realization_reports", _shop(),
        sa.Column("month", sa.Date(), primary_key=True, nullable=False),
        sa.Column("number", sa.String(64), nullable=False),
        sa.Column("doc_date", sa.String(32), nullable=False),
        *_money("delivered", "returned", "sales"),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("raw", sa.LargeBinary(), nullable=False),
    )
    op.create_table(
        "ozon_realization_lines", _shop(),
        sa.Column("kind", sa.String(8), primary_key=True, nullable=False),
        sa.Column("day", sa.Date(), primary_key=True, nullable=False),
        sa.Column("row_number", sa.Integer(), primary_key=True, nullable=False),
        sa.Column("sku", sa.BigInteger(), nullable=False),
        sa.Column("offer_id", sa.String(128), nullable=False),
        sa.Column("name", sa.String(500), nullable=False),
        sa.Column("delivered_qty", sa.Integer(), nullable=False),
        *_money("delivered_amount", "delivered_fee", "delivered_total"),
        sa.Column("returned_qty", sa.Integer(), nullable=False),
        *_money("returned_amount", "returned_fee", "returned_total"),
        sa.Column("raw", sa.LargeBinary(), nullable=False),
    )
    op.create_table(
        "ozon_cash_flow_periods", _shop(),
        sa.Column("period_id", sa.BigInteger(), primary_key=True, nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        *_money("accrued"), *_money("invoice", nullable=True), *_money("paid"),
        *_money("begin_balance", "end_balance", nullable=True),
        sa.Column("raw", sa.LargeBinary(), nullable=False),
    )
    op.create_table(
        "ozon_balances", _shop(),
        sa.Column("day", sa.Date(), primary_key=True, nullable=False),
        *_money("opening", "accrued", "paid", "closing"),
        sa.Column("lines", sa.Integer(), nullable=False),
        sa.Column("raw", sa.LargeBinary(), nullable=False),
    )
    op.create_table(
        "ozon_accrual_day_sums", _shop(),
        sa.Column("day", sa.Date(), primary_key=True, nullable=False),
        *_money("total", "delivered", "returned", "compensations", "services"),
    )


def downgrade() -> None:
    for table in ("ozon_accrual_day_sums", "ozon_balances", "ozon_cash_flow_periods", "ozon_realization_lines",
                  "ozon_realization_reports"):
        op.drop_table(table)
