"""ORM rows. They never leave adapters/db: repositories map them to domain objects."""

from __future__ import annotations

import datetime as dt
import uuid

from advanced_alchemy.base import UUIDv7AuditBase, UUIDv7Base
from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from stpulse.adapters.db.base import NaturalKeyBase
from stpulse.adapters.db.checks import not_negative, percent


class UserRow(UUIDv7AuditBase):
    __tablename__ = "users"
    email: Mapped[str] = mapped_column(String(254), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str] = mapped_column(String(20), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    email_confirmed_at: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)
    consent_at: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)
    consent_version: Mapped[str | None] = mapped_column(String(32), nullable=True)
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    is_blocked: Mapped[bool] = mapped_column(Boolean, default=False)


class AccountRow(UUIDv7AuditBase):
    __tablename__ = "accounts"
    name: Mapped[str] = mapped_column(String(200))
    owner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))


class MembershipRow(UUIDv7AuditBase):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("account_id", "user_id"),)
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    shop_ids: Mapped[str | None] = mapped_column(Text, nullable=True)  # comma-separated; NULL = all shops


class InvitationRow(UUIDv7AuditBase):
    __tablename__ = "invitations"
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[str] = mapped_column(String(20))
    shop_ids: Mapped[str | None] = mapped_column(Text, nullable=True)
    invited_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True))
    accepted_at: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)


class TokenRow(UUIDv7Base):
    __tablename__ = "one_time_tokens"
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    purpose: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=True)
    subject_id: Mapped[uuid.UUID | None] = mapped_column(nullable=True)
    payload: Mapped[str | None] = mapped_column(String(254), nullable=True)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True))
    used_at: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)


class SessionRow(UUIDv7Base):
    __tablename__ = "web_sessions"
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    account_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"),
                                                         nullable=True)  # the account the session looks at
    expires_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True))


class LoginFailureRow(UUIDv7Base):
    __tablename__ = "login_failures"
    __table_args__ = (Index("ix_login_failures_key_at", "key", "at"),)
    key: Mapped[str] = mapped_column(String(300))
    at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True))


class LegalEntityRow(UUIDv7AuditBase):
    __tablename__ = "legal_entities"
    __table_args__ = (percent("vat_rate"),)
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    name: Mapped[str] = mapped_column(String(300))
    inn: Mapped[str] = mapped_column(String(12))
    kpp: Mapped[str] = mapped_column(String(9), default="")
    ogrn: Mapped[str] = mapped_column(String(15), default="")
    address: Mapped[str] = mapped_column(String(500), default="")
    bank_name: Mapped[str] = mapped_column(String(300), default="")
    bik: Mapped[str] = mapped_column(String(9), default="")
    settlement_account: Mapped[str] = mapped_column(String(20), default="")
    correspondent_account: Mapped[str] = mapped_column(String(20), default="")
    tax_regime: Mapped[str] = mapped_column(String(32))
    tax_rate_percent: Mapped[str] = mapped_column(String(8))
    vat_rate: Mapped[int] = mapped_column(Integer, default=0)
    usn_base: Mapped[str] = mapped_column(String(16), default="sales", server_default="sales")


class DocumentRow(UUIDv7AuditBase):
    __tablename__ = "documents"
    __table_args__ = (not_negative("size"),)
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(BigInteger)
    storage_key: Mapped[str] = mapped_column(String(200))
    uploaded_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))


class ContentPageRow(UUIDv7AuditBase):
    __tablename__ = "content_pages"
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    body_markdown: Mapped[str] = mapped_column(Text)
    published: Mapped[bool] = mapped_column(Boolean, default=False)


class ShopRow(UUIDv7AuditBase):
    __tablename__ = "shops"
    __table_args__ = (UniqueConstraint("account_id", "client_id"),)
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    client_id: Mapped[str] = mapped_column(String(64))
    api_key_encrypted: Mapped[bytes] = mapped_column(LargeBinary)
    status: Mapped[str] = mapped_column(String(20), default="new")
    legal_entity_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("legal_entities.id", ondelete="SET NULL"),
                                                              nullable=True)
    last_synced_at: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)
    synced_from: Mapped[dt.date | None] = mapped_column(Date, nullable=True)  # accruals imported for these days
    synced_to: Mapped[dt.date | None] = mapped_column(Date, nullable=True)


class HeartbeatRow(UUIDv7Base):
    __tablename__ = "heartbeats"
    name: Mapped[str] = mapped_column(String(64), unique=True)
    at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True))


class AuditRow(UUIDv7AuditBase):
    __tablename__ = "audit_log"
    account_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), nullable=True)
    actor_id: Mapped[uuid.UUID | None] = mapped_column(nullable=True)
    action: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(String(500), default="")
    at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True), index=True)
    __table_args__ = (Index("ix_audit_log_account_at", "account_id", "at"),)


class SentNoticeRow(NaturalKeyBase):
    """A notice (e-mail, alert) already sent, by the key naming its cause (application/kernel/ports.NoticeLog)."""

    __tablename__ = "sent_notices"
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    sent_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True))


class ApiTokenRow(UUIDv7AuditBase):
    """A personal API token: only the SHA-256 of the secret is stored."""

    __tablename__ = "api_tokens"
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(DateTimeUTC(timezone=True), nullable=True)


class OutboxRow(UUIDv7Base):
    """A job asked for in a committed transaction and not yet handed to the queue (application/kernel/outbox)."""

    __tablename__ = "job_outbox"
    job: Mapped[str] = mapped_column(String(64))
    ids: Mapped[str] = mapped_column(Text)  # JSON object of string ids
    created_at: Mapped[dt.datetime] = mapped_column(DateTimeUTC(timezone=True), index=True)
