"""billing: tariffs, subscriptions, payments, promo codes, invoices, trials, payment webhooks

Revision ID: 0005_billing
Revises: 38a8f6ae8742
"""
from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

import advanced_alchemy.types
import sqlalchemy as sa
from alembic import op

revision = "0005_billing"
down_revision = "38a8f6ae8742"
branch_labels = None
depends_on = None

GUID = advanced_alchemy.types.GUID(length=16)
UTC = advanced_alchemy.types.DateTimeUTC(timezone=True)


def _base(table: str, audit: bool = True) -> list:
    cols = [sa.Column("id", GUID, nullable=False), sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True)]
    if audit:
        cols += [sa.Column("created_at", UTC, nullable=False), sa.Column("updated_at", UTC, nullable=False)]
    return [*cols, sa.PrimaryKeyConstraint("id", name=f"pk_{table}")]


def _user(table: str) -> list:
    return [sa.Column("user_id", GUID, nullable=False),
            sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=f"fk_{table}_user_id_users", ondelete="CASCADE")]


def _tables() -> None:
    op.create_table(
        "tariffs", *_base("tariffs"),
        sa.Column("code", sa.String(64), nullable=False), sa.Column("name", sa.String(120), nullable=False),
        sa.Column("monthly_price", sa.BigInteger(), nullable=False), sa.Column("max_shops", sa.Integer(), nullable=False),
        sa.Column("max_skus", sa.Integer(), nullable=False), sa.Column("history_months", sa.Integer(), nullable=False),
        sa.Column("features", sa.Text(), nullable=False), sa.Column("period_discounts", sa.Text(), nullable=False),
        sa.Column("assigned_user_id", GUID, nullable=True), sa.Column("archived", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["assigned_user_id"], ["users.id"], name="fk_tariffs_assigned_user_id_users",
                                ondelete="CASCADE"),
        sa.UniqueConstraint("code", name="uq_tariffs_code"))
    op.create_table(
        "subscriptions", *_base("subscriptions"), *_user("subscriptions"),
        sa.Column("tariff_code", sa.String(64), nullable=False), sa.Column("started_at", UTC, nullable=False),
        sa.Column("grace_days", sa.Integer(), nullable=False), sa.Column("entries", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False), sa.Column("current_tariff_code", sa.String(64), nullable=True),
        sa.Column("checked_at", UTC, nullable=True), sa.Column("ends_at", UTC, nullable=True),
        sa.Column("auto_renew", sa.Boolean(), nullable=False), sa.Column("payment_method_id", sa.String(64), nullable=True),
        sa.UniqueConstraint("user_id", name="uq_subscriptions_user_id"))
    op.create_index("ix_subscriptions_status", "subscriptions", ["status"])
    op.create_index("ix_subscriptions_ends_at", "subscriptions", ["ends_at"])
    op.create_table(
        "payments", *_base("payments"), *_user("payments"),
        sa.Column("kind", sa.String(16), nullable=False), sa.Column("state", sa.String(16), nullable=False),
        sa.Column("tariff_code", sa.String(64), nullable=False), sa.Column("months", sa.Integer(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False), sa.Column("list_price", sa.BigInteger(), nullable=False),
        sa.Column("promo_code", sa.String(64), nullable=True), sa.Column("extra_days", sa.Integer(), nullable=False),
        sa.Column("idempotency_key", sa.String(64), nullable=False), sa.Column("gateway_id", sa.String(64), nullable=True),
        sa.Column("confirmation_url", sa.String(500), nullable=True), sa.Column("receipt_json", sa.Text(), nullable=False),
        sa.Column("method_title", sa.String(120), nullable=True), sa.Column("paid_at", UTC, nullable=True),
        sa.Column("refunded_amount", sa.BigInteger(), nullable=False), sa.Column("save_method", sa.Boolean(), nullable=False),
        sa.Column("invoice_id", GUID, nullable=True), sa.Column("opened_at", UTC, nullable=False),
        sa.UniqueConstraint("idempotency_key", name="uq_payments_idempotency_key"),
        sa.UniqueConstraint("gateway_id", name="uq_payments_gateway_id"))
    op.create_index("ix_payments_user_id", "payments", ["user_id"])
    op.create_table(
        "promo_codes", *_base("promo_codes"),
        sa.Column("code", sa.String(64), nullable=False), sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False), sa.Column("valid_from", UTC, nullable=True),
        sa.Column("valid_until", UTC, nullable=True), sa.Column("max_uses_total", sa.Integer(), nullable=True),
        sa.Column("max_uses_per_user", sa.Integer(), nullable=False), sa.Column("tariff_codes", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.UniqueConstraint("code", name="uq_promo_codes_code"))
    op.create_table(
        "promo_uses", *_base("promo_uses", audit=False), *_user("promo_uses"),
        sa.Column("code", sa.String(64), nullable=False), sa.Column("payment_id", GUID, nullable=False),
        sa.Column("used_at", UTC, nullable=False),
        sa.UniqueConstraint("code", "payment_id", name="uq_promo_uses_code"))
    op.create_index("ix_promo_uses_code", "promo_uses", ["code"])
    op.create_index("ix_promo_uses_user_id", "promo_uses", ["user_id"])
    op.create_table(
        "invoices", *_base("invoices"), *_user("invoices"),
        sa.Column("number", sa.Integer(), nullable=False), sa.Column("account_id", GUID, nullable=False),
        sa.Column("legal_entity_id", GUID, nullable=False), sa.Column("payment_id", GUID, nullable=False),
        sa.Column("buyer", sa.Text(), nullable=False), sa.Column("tariff_code", sa.String(64), nullable=False),
        sa.Column("months", sa.Integer(), nullable=False), sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("vat_rate", sa.Integer(), nullable=True), sa.Column("state", sa.String(16), nullable=False),
        sa.Column("issued_at", UTC, nullable=False), sa.Column("paid_at", UTC, nullable=True),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"], name="fk_invoices_account_id_accounts",
                                ondelete="CASCADE"),
        sa.UniqueConstraint("number", name="uq_invoices_number"))
    op.create_index("ix_invoices_user_id", "invoices", ["user_id"])
    op.create_table(
        "trials", *_base("trials", audit=False), *_user("trials"),
        sa.Column("started_at", UTC, nullable=False), sa.UniqueConstraint("user_id", name="uq_trials_user_id"))
    op.create_table(
        "trial_client_ids", *_base("trial_client_ids", audit=False), *_user("trial_client_ids"),
        sa.Column("client_id", sa.String(64), nullable=False),
        sa.UniqueConstraint("client_id", name="uq_trial_client_ids_client_id"))
    op.create_index("ix_trial_client_ids_user_id", "trial_client_ids", ["user_id"])
    op.create_table(
        "payment_webhooks", *_base("payment_webhooks", audit=False),
        sa.Column("received_at", UTC, nullable=False), sa.Column("sender_ip", sa.String(64), nullable=False),
        sa.Column("event", sa.String(64), nullable=False), sa.Column("object_id", sa.String(64), nullable=False),
        sa.Column("outcome", sa.String(32), nullable=False), sa.Column("detail", sa.String(500), nullable=False))
    op.create_index("ix_payment_webhooks_received_at", "payment_webhooks", ["received_at"])


# name, code, ₽/month, shops, SKUs, months of history, features — frozen here as of this migration
_SEED = (
    ("start", "Старт", 990_00, 1, 500, 12, "export"),
    ("business", "Бизнес", 2490_00, 3, 3000, 24, "export,ads_report,plan,multi_user"),
    ("pro", "Про", 5990_00, 10, 20000, 36, "export,ads_report,plan,multi_user,api_access"),
)


def _seed() -> None:
    typed: dict[str, Any] = {"id": GUID, "created_at": UTC, "updated_at": UTC, "archived": sa.Boolean()}
    table = sa.table("tariffs", *(sa.column(n, typed.get(n)) for n in (
        "id", "code", "name", "monthly_price", "max_shops", "max_skus", "history_months", "features",
        "period_discounts", "archived", "created_at", "updated_at")))
    now = dt.datetime.now(dt.UTC)
    discounts = json.dumps({"1": 0, "3": 5, "6": 10, "12": 20})
    op.bulk_insert(table, [
        {"id": uuid.uuid4(), "code": code, "name": name, "monthly_price": price, "max_shops": shops, "max_skus": skus,
         "history_months": months, "features": features, "period_discounts": discounts, "archived": False,
         "created_at": now, "updated_at": now}
        for code, name, price, shops, skus, months, features in _SEED])


def upgrade() -> None:
    _tables()
    _seed()


def downgrade() -> None:
    for table in ("payment_webhooks", "trial_client_ids", "trials", "invoices", "promo_uses", "promo_codes",
                  "payments", "subscriptions", "tariffs"):
        op.drop_table(table)
