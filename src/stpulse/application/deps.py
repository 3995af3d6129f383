"""What every use case receives: the ports, wired once by the composition root."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid
from dataclasses import dataclass

import msgspec
from uuid_utils.compat import uuid7

from stpulse.application.billing_ports import InvoiceRenderer, PaymentGateway
from stpulse.application.billing_records import BillingConfig
from stpulse.application.ozon_ports import OzonSellerApiFactory
from stpulse.application.ports import (
    Clock,
    FileStorage,
    JobQueue,
    Mailer,
    MarkdownRenderer,
    PasswordHasher,
    PasswordStrength,
    SecretBox,
    UnitOfWorkFactory,
)
from stpulse.domain.accounts import Account, Membership, User


class AppConfig(msgspec.Struct, frozen=True, kw_only=True):
    base_url: str = "http://127.0.0.1:8000"
    upload_max_bytes: int = 10 * 1024 * 1024
    login_max_failures: int = 10
    login_window_minutes: int = 15
    login_ip_max_failures: int = 100  # per client address: far above one account's, an office shares an address
    reset_max_per_address: int = 3  # password reset mails to one address per window
    reset_max_per_ip: int = 20  # password reset requests from one client address per window
    reset_window_minutes: int = 60
    session_days: int = 14


class SyncConfig(msgspec.Struct, frozen=True, kw_only=True):
    backfill_months: int = 12  # the first sync loads this many calendar months, the current one included
    recent_days: int = 7  # every later sync re-reads these last days: Ozon posts accruals late
    chunk_days: int = 10  # accrual days written (and checkpointed) in one transaction
    fetch_ahead: int = 4  # accrual days fetched concurrently
    stale_seconds: int = 120  # a running sync silent this long was interrupted: the next one takes it over


@dataclass(frozen=True, kw_only=True)
class Deps:
    uow: UnitOfWorkFactory
    clock: Clock
    hasher: PasswordHasher
    mailer: Mailer
    storage: FileStorage
    secrets: SecretBox
    markdown: MarkdownRenderer
    jobs: JobQueue
    config: AppConfig
    payments: PaymentGateway | None = None  # YooKassa (or the sandbox); None: card payments are off
    invoice_renderer: InvoiceRenderer | None = None
    billing: BillingConfig = BillingConfig()
    ozon: OzonSellerApiFactory | None = None  # the Seller API (or the sandbox); None: shops cannot sync
    sync: SyncConfig = SyncConfig()
    password_strength: PasswordStrength | None = None  # None: only the length and common-list checks


class Actor(msgspec.Struct, frozen=True, kw_only=True):
    """The signed-in user acting inside one account."""

    user: User
    account: Account
    membership: Membership

    @property
    def account_id(self) -> uuid.UUID:
        return self.account.id


def new_id() -> uuid.UUID:
    """Time-ordered UUIDv7, so primary keys index well."""
    return uuid7()


def new_token() -> tuple[str, str]:
    """A raw secret for a link or cookie and the hash we store instead of it."""
    raw = secrets.token_urlsafe(32)
    return raw, hash_token(raw)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def utc(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
