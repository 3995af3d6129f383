"""What every use case receives: the ports, wired once by the composition root."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Callable
from typing import Protocol

import msgspec
from uuid_utils.compat import uuid7

from stpulse.application.kernel.ports import Clock, KernelUnitOfWork


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
    documents_quota_bytes: int = 1024 * 1024 * 1024  # «Документы» of one account, all files together


class KernelDeps(Protocol):
    """What every use case may receive: a transaction and the time. Each context's deps extend it."""

    @property
    def uow(self) -> Callable[[], KernelUnitOfWork]: ...
    @property
    def clock(self) -> Clock: ...


def new_id() -> uuid.UUID:
    """Time-ordered UUIDv7, so primary keys index well."""
    return uuid7()


def new_token() -> tuple[str, str]:
    """A raw secret for a link or cookie and the hash we store instead of it."""
    raw = secrets.token_urlsafe(32)
    return raw, hash_token(raw)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


