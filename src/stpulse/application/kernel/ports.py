"""Ports every context shares: clock, hashing, secrets, mail, files, jobs, the audit log, and the transaction.

Each context declares its own unit of work (application/<context>/ports.py) as a `Transaction` with the repositories
its use cases need; the database adapter's unit of work satisfies all of them structurally."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any, Protocol, Self

import msgspec


class Clock(Protocol):
    def now(self) -> dt.datetime: ...


class PasswordHasher(Protocol):
    def hash(self, password: str) -> str: ...
    def verify(self, password_hash: str, password: str) -> bool: ...


class PasswordStrength(Protocol):
    """How hard a password is to guess: 0 (at once) … 4 (very hard), as zxcvbn scores it."""

    def score(self, password: str, hints: Sequence[str]) -> int: ...


class SecretBox(Protocol):
    def encrypt(self, plaintext: str) -> bytes: ...
    def decrypt(self, token: bytes) -> str: ...


class Mailer(Protocol):
    async def send(self, to: str, subject: str, body: str, html: str | None = None) -> None:
        """Plain text `body`; with `html`, a multipart/alternative message carrying both."""


class RenderedMail(msgspec.Struct, frozen=True, kw_only=True):
    subject: str
    text: str
    html: str


class MailTemplates(Protocol):
    """Named e-mail templates (subject, plain text, HTML) rendered with a context of plain values."""

    def render(self, name: str, context: dict[str, Any]) -> RenderedMail: ...


class FileStorage(Protocol):
    async def save(self, key: str, data: bytes) -> None: ...
    async def load(self, key: str) -> bytes: ...
    async def delete(self, key: str) -> None: ...


class VirusScanner(Protocol):
    """An antivirus for uploads (ClamAV's clamd): the signature found in `data`, or None for a clean file.
    Raises OSError when the scanner cannot be reached."""

    async def scan(self, data: bytes) -> str | None: ...
    async def version(self) -> str: ...


class MarkdownRenderer(Protocol):
    def render(self, markdown_text: str) -> str: ...


class JobQueue(Protocol):
    def enqueue(self, job: str, **ids: Any) -> None: ...


class HeartbeatRepository(Protocol):
    async def beat(self, name: str, at: dt.datetime) -> None: ...
    async def last(self, name: str) -> dt.datetime | None: ...


class DatabaseStats(Protocol):
    async def size_bytes(self) -> int | None:
        """The database's size on disk (None when the engine cannot tell)."""


class AuditEntry(msgspec.Struct, frozen=True, kw_only=True):
    """One line of an account's activity log: who (`actor_id`), when, what (`action`, `subject`, `reason`)."""

    id: uuid.UUID
    account_id: uuid.UUID | None
    actor_id: uuid.UUID | None
    action: str
    subject: str
    reason: str
    at: dt.datetime


class AuditQuery(msgspec.Struct, frozen=True, kw_only=True):
    """A page of one account's log; empty filters match everything, `since`/`until` are instants (until excluded)."""

    account_id: uuid.UUID
    actor_id: uuid.UUID | None = None
    actions: tuple[str, ...] = ()
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    offset: int = 0
    limit: int = 50


class AuditRepository(Protocol):
    async def record(self, actor_id: uuid.UUID | None, action: str, subject: str, reason: str, at: dt.datetime,
                     account_id: uuid.UUID | None = None) -> None:
        """`account_id`: the account the action belongs to (its team's activity log); None for site-wide actions."""

    async def for_account(self, query: AuditQuery) -> tuple[list[AuditEntry], int]:
        """The account's entries, newest first, and how many match in all."""


class NoticeLog(Protocol):
    """The e-mails (and other one-off notices) already sent, by a key naming their cause: each goes out once."""

    async def seen(self, key: str) -> bool: ...
    async def claim(self, key: str, at: dt.datetime) -> bool:
        """Mark `key` sent in the caller's transaction; False if it already was (then send nothing)."""


class Transaction(Protocol):
    """`async with factory() as uow:` — nothing is written unless `commit()` is called."""

    async def __aenter__(self) -> Self: ...
    async def __aexit__(self, *exc: object) -> None: ...
    async def commit(self) -> None: ...
    async def rollback(self) -> None: ...


class OutboxJob(msgspec.Struct, frozen=True, kw_only=True):
    """A job written in the transaction of the change that asks for it; relayed to the queue after commit."""

    id: uuid.UUID
    job: str
    ids: dict[str, str]
    created_at: dt.datetime


class OutboxRepository(Protocol):
    async def add(self, job: OutboxJob) -> None: ...
    async def pending(self, limit: int) -> list[OutboxJob]: ...
    async def remove(self, ids: Sequence[uuid.UUID]) -> None: ...


class KernelUnitOfWork(Transaction, Protocol):
    @property
    def outbox(self) -> OutboxRepository: ...
    @property
    def heartbeats(self) -> HeartbeatRepository: ...
    @property
    def audit(self) -> AuditRepository: ...
    @property
    def database(self) -> DatabaseStats: ...
    @property
    def notices(self) -> NoticeLog: ...
