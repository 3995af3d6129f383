"""In-memory fakes of the ports. They satisfy the Protocols structurally; contract tests keep them honest."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from stpulse.application.accounts.ports import OneTimeToken, WebSession
from stpulse.domain.accounts.content import ContentPage
from stpulse.domain.accounts.documents import StoredDocument
from stpulse.domain.accounts.legal import LegalEntity
from stpulse.domain.accounts.users import Account, Invitation, Membership, User
from stpulse.domain.ledger.shops import Shop
from tests.fakes_billing import billing_tables
from tests.fakes_facts import FactTables


class FixedClock:
    def __init__(self, now: dt.datetime | None = None) -> None:
        self.current = now or dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)

    def now(self) -> dt.datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += dt.timedelta(**delta)


class PlainHasher:
    """Not for production: makes unit tests fast. Argon2 itself is tested in its adapter test."""

    def hash(self, password: str) -> str:
        return "plain$" + password

    def verify(self, password_hash: str, password: str) -> bool:
        return password_hash == "plain$" + password


class MemoryMailer:
    def __init__(self) -> None:
        self.sent: list[tuple[str, str, str]] = []
        self.html: list[str | None] = []

    async def send(self, to: str, subject: str, body: str, html: str | None = None) -> None:
        self.sent.append((to, subject, body))
        self.html.append(html)

    def last_link(self, to: str) -> str:
        body = next(b for t, _, b in reversed(self.sent) if t == to)
        return next(word for word in body.split() if word.startswith("http"))


class MemoryStorage:
    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}

    async def save(self, key: str, data: bytes) -> None:
        self.files[key] = data

    async def load(self, key: str) -> bytes:
        return self.files[key]

    async def delete(self, key: str) -> None:
        self.files.pop(key, None)


class RecordingQueue:
    def __init__(self) -> None:
        self.jobs: list[tuple[str, dict[str, Any]]] = []

    def enqueue(self, job: str, **ids: Any) -> None:
        self.jobs.append((job, ids))


class ReverseBox:
    def encrypt(self, plaintext: str) -> bytes:
        return plaintext[::-1].encode()

    def decrypt(self, token: bytes) -> str:
        return token.decode()[::-1]


class EchoMarkdown:
    def render(self, markdown_text: str) -> str:
        return f"<p>{markdown_text}</p>"


@dataclass
class Store:
    users: dict[uuid.UUID, User] = field(default_factory=dict)
    accounts: dict[uuid.UUID, Account] = field(default_factory=dict)
    memberships: dict[uuid.UUID, Membership] = field(default_factory=dict)
    invitations: dict[uuid.UUID, Invitation] = field(default_factory=dict)
    tokens: dict[str, OneTimeToken] = field(default_factory=dict)
    sessions: dict[str, WebSession] = field(default_factory=dict)
    failures: list[tuple[str, dt.datetime]] = field(default_factory=list)
    entities: dict[uuid.UUID, LegalEntity] = field(default_factory=dict)
    documents: dict[uuid.UUID, StoredDocument] = field(default_factory=dict)
    pages: dict[uuid.UUID, ContentPage] = field(default_factory=dict)
    shops: dict[uuid.UUID, Shop] = field(default_factory=dict)
    shop_keys: dict[uuid.UUID, bytes] = field(default_factory=dict)
    heartbeats: dict[str, dt.datetime] = field(default_factory=dict)
    outbox: dict[uuid.UUID, Any] = field(default_factory=dict)  # id → OutboxJob
    audit: list[tuple[Any, ...]] = field(default_factory=list)
    notices: dict[str, Any] = field(default_factory=dict)
    billing: dict[str, Any] = field(default_factory=billing_tables)
    facts: FactTables = field(default_factory=FactTables)  # facts, rollups, sync runs, ledger, costs, tokens


def _contains(text: str, query: str) -> bool:
    return query.lower() in text.lower()
