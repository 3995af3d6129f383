"""In-memory repositories of accounts, shops and the kernel (the unit of work is tests/fakes_uow.py)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

import msgspec

from stpulse.application.accounts.ports import OneTimeToken, SessionOwner, WebSession
from stpulse.application.kernel.ports import OutboxJob
from stpulse.application.ledger.ports import CatalogItem
from stpulse.domain.accounts.content import ContentPage
from stpulse.domain.accounts.documents import StoredDocument
from stpulse.domain.accounts.legal import LegalEntity
from stpulse.domain.accounts.users import Account, Invitation, Membership, User
from stpulse.domain.ledger.shops import Shop
from tests.fakes import Store, _contains


class _R:
    def __init__(self, store: Store) -> None:
        self.st = store


class Users(_R):
    async def add(self, user: User) -> None:
        self.st.users[user.id] = user

    async def get(self, user_id: uuid.UUID) -> User | None:
        return self.st.users.get(user_id)

    async def by_email(self, email: str) -> User | None:
        return next((u for u in self.st.users.values() if u.email == email), None)

    async def update(self, user: User) -> None:
        if user.id in self.st.users:
            self.st.users[user.id] = user

    async def search(self, query: str, offset: int, limit: int) -> tuple[list[User], int]:
        found = [u for u in self.st.users.values() if not query or _contains(u.email, query) or _contains(u.full_name, query)]
        return found[offset:offset + limit], len(found)


class Accounts(_R):
    async def add(self, account: Account) -> None:
        self.st.accounts[account.id] = account

    async def get(self, account_id: uuid.UUID) -> Account | None:
        return self.st.accounts.get(account_id)


class Memberships(_R):
    async def add(self, membership: Membership) -> None:
        self.st.memberships[membership.id] = membership

    async def update(self, membership: Membership) -> None:
        self.st.memberships[membership.id] = membership

    async def delete(self, membership_id: uuid.UUID) -> None:
        self.st.memberships.pop(membership_id, None)

    async def for_user(self, user_id: uuid.UUID) -> list[Membership]:
        return [m for m in self.st.memberships.values() if m.user_id == user_id]

    async def for_account(self, account_id: uuid.UUID) -> list[Membership]:
        return [m for m in self.st.memberships.values() if m.account_id == account_id]


class Invitations(_R):
    async def add(self, invitation: Invitation) -> None:
        self.st.invitations[invitation.id] = invitation

    async def get(self, invitation_id: uuid.UUID) -> Invitation | None:
        return self.st.invitations.get(invitation_id)

    async def update(self, invitation: Invitation) -> None:
        self.st.invitations[invitation.id] = invitation

    async def pending_for_account(self, account_id: uuid.UUID) -> list[Invitation]:
        return [i for i in self.st.invitations.values() if i.account_id == account_id and i.accepted_at is None]

    async def delete(self, invitation_id: uuid.UUID) -> None:
        self.st.invitations.pop(invitation_id, None)


class Tokens(_R):
    async def add(self, token: OneTimeToken) -> None:
        self.st.tokens[token.token_hash] = token

    async def get(self, token_hash: str) -> OneTimeToken | None:
        return self.st.tokens.get(token_hash)

    async def mark_used(self, token_hash: str, at: dt.datetime) -> bool:
        token = self.st.tokens.get(token_hash)
        if token is None or token.used_at is not None:
            return False
        self.st.tokens[token_hash] = msgspec.structs.replace(token, used_at=at)
        return True

    async def revoke_for_user(self, user_id: uuid.UUID, purpose: str, at: dt.datetime) -> None:
        for key, t in list(self.st.tokens.items()):
            if t.user_id == user_id and t.purpose == purpose and t.used_at is None:
                self.st.tokens[key] = msgspec.structs.replace(t, used_at=at)


class Sessions(_R):
    async def add(self, session: WebSession) -> None:
        self.st.sessions[session.token_hash] = session

    async def get(self, token_hash: str) -> WebSession | None:
        return self.st.sessions.get(token_hash)

    async def with_owner(self, token_hash: str) -> SessionOwner | None:
        session = self.st.sessions.get(token_hash)
        user = self.st.users.get(session.user_id) if session else None
        if session is None or user is None:
            return None
        own = [m for m in self.st.memberships.values() if m.user_id == user.id]  # oldest first: added in order
        return SessionOwner(session=session, user=user,
                            memberships=tuple((m, self.st.accounts.get(m.account_id)) for m in own))

    async def delete(self, token_hash: str) -> None:
        self.st.sessions.pop(token_hash, None)

    async def delete_for_user(self, user_id: uuid.UUID, keep: str = "") -> None:
        for key in [k for k, s in self.st.sessions.items() if s.user_id == user_id and k != keep]:
            del self.st.sessions[key]


class Attempts(_R):
    async def record_failure(self, key: str, at: dt.datetime) -> None:
        self.st.failures.append((key, at))

    async def failures_since(self, key: str, since: dt.datetime) -> int:
        return sum(1 for k, at in self.st.failures if k == key and at >= since)

    async def clear(self, key: str) -> None:
        self.st.failures = [(k, at) for k, at in self.st.failures if k != key]


class Entities(_R):
    async def add(self, entity: LegalEntity) -> None:
        self.st.entities[entity.id] = entity

    async def get(self, account_id: uuid.UUID, entity_id: uuid.UUID) -> LegalEntity | None:
        e = self.st.entities.get(entity_id)
        return e if e and e.account_id == account_id else None

    async def update(self, entity: LegalEntity) -> None:
        if await self.get(entity.account_id, entity.id):
            self.st.entities[entity.id] = entity

    async def delete(self, account_id: uuid.UUID, entity_id: uuid.UUID) -> None:
        if await self.get(account_id, entity_id):
            del self.st.entities[entity_id]

    async def for_account(self, account_id: uuid.UUID) -> list[LegalEntity]:
        return sorted((e for e in self.st.entities.values() if e.account_id == account_id), key=lambda e: e.name)


class Documents(_R):
    async def add(self, doc: StoredDocument) -> None:
        self.st.documents[doc.id] = doc

    async def get(self, account_id: uuid.UUID, doc_id: uuid.UUID) -> StoredDocument | None:
        d = self.st.documents.get(doc_id)
        return d if d and d.account_id == account_id else None

    async def delete(self, account_id: uuid.UUID, doc_id: uuid.UUID) -> None:
        if await self.get(account_id, doc_id):
            del self.st.documents[doc_id]

    async def for_account(self, account_id: uuid.UUID, offset: int, limit: int) -> tuple[list[StoredDocument], int]:
        own = [d for d in self.st.documents.values() if d.account_id == account_id]
        return own[offset:offset + limit], len(own)

    async def total_size(self, account_id: uuid.UUID) -> int:
        return sum(d.size for d in self.st.documents.values() if d.account_id == account_id)


class Pages(_R):
    async def add(self, page: ContentPage) -> None:
        self.st.pages[page.id] = page

    async def get(self, page_id: uuid.UUID) -> ContentPage | None:
        return self.st.pages.get(page_id)

    async def by_slug(self, slug: str) -> ContentPage | None:
        return next((p for p in self.st.pages.values() if p.slug == slug), None)

    async def update(self, page: ContentPage) -> None:
        self.st.pages[page.id] = page

    async def delete(self, page_id: uuid.UUID) -> None:
        self.st.pages.pop(page_id, None)

    async def all(self) -> list[ContentPage]:
        return sorted(self.st.pages.values(), key=lambda p: p.slug)

    async def search(self, query: str, limit: int) -> list[ContentPage]:
        return [p for p in self.st.pages.values() if _contains(p.title, query) or _contains(p.body_markdown, query)][:limit]


class Shops(_R):
    async def add(self, shop: Shop, api_key_encrypted: bytes) -> None:
        self.st.shops[shop.id] = shop
        self.st.shop_keys[shop.id] = api_key_encrypted

    async def get(self, account_id: uuid.UUID, shop_id: uuid.UUID) -> Shop | None:
        s = self.st.shops.get(shop_id)
        return s if s and s.account_id == account_id else None

    async def for_account(self, account_id: uuid.UUID) -> list[Shop]:
        return [s for s in self.st.shops.values() if s.account_id == account_id]

    async def search(self, account_id: uuid.UUID, query: str, limit: int) -> list[Shop]:
        return [s for s in await self.for_account(account_id) if _contains(s.name, query) or query in s.client_id][:limit]

    async def search_products(self, shop_ids: Sequence[uuid.UUID], query: str, limit: int) -> list[CatalogItem]:
        found = [CatalogItem(shop_id=shop, sku=p.sku, offer_id=p.offer_id, name=p.name)
                 for (shop, _), p in self.st.facts.products.items() if shop in shop_ids
                 and (_contains(p.offer_id, query) or _contains(p.name, query) or query in str(p.sku))]
        return sorted(found, key=lambda c: (c.offer_id, str(c.shop_id)))[:limit]

    async def by_id(self, shop_id: uuid.UUID) -> Shop | None:
        return self.st.shops.get(shop_id)

    async def update(self, shop: Shop) -> None:
        if shop.id in self.st.shops:
            self.st.shops[shop.id] = shop

    async def set_key(self, shop_id: uuid.UUID, api_key_encrypted: bytes) -> None:
        self.st.shop_keys[shop_id] = api_key_encrypted

    async def set_legal_entity(self, shop_id: uuid.UUID, entity_id: uuid.UUID | None) -> None:
        if (shop := self.st.shops.get(shop_id)) is not None:
            self.st.shops[shop_id] = msgspec.structs.replace(shop, legal_entity_id=entity_id)

    async def api_key(self, shop_id: uuid.UUID) -> bytes | None:
        return self.st.shop_keys.get(shop_id)

    async def delete(self, account_id: uuid.UUID, shop_id: uuid.UUID) -> None:
        if (shop := self.st.shops.get(shop_id)) and shop.account_id == account_id:
            del self.st.shops[shop_id]
            self.st.facts.drop_shop(shop_id)  # ON DELETE CASCADE

    async def syncable(self) -> list[Shop]:
        return [s for s in self.st.shops.values() if s.status in ("new", "active")]

    async def connected_client_ids(self, client_ids: frozenset[str]) -> frozenset[str]:
        return frozenset(s.client_id for s in self.st.shops.values() if s.client_id in client_ids)


class DatabaseStats(_R):
    async def size_bytes(self) -> int | None:
        return None  # memory has no size on disk


class Heartbeats(_R):
    async def beat(self, name: str, at: dt.datetime) -> None:
        self.st.heartbeats[name] = at

    async def last(self, name: str) -> dt.datetime | None:
        return self.st.heartbeats.get(name)


class Outbox(_R):
    async def add(self, job: OutboxJob) -> None:
        self.st.outbox[job.id] = job

    async def pending(self, limit: int) -> list[OutboxJob]:
        return sorted(self.st.outbox.values(), key=lambda j: (j.created_at, j.id))[:limit]

    async def remove(self, ids: Sequence[uuid.UUID]) -> None:
        for job_id in ids:
            self.st.outbox.pop(job_id, None)


class Notices(_R):
    async def seen(self, key: str) -> bool:
        return key in self.st.notices

    async def claim(self, key: str, at: dt.datetime) -> bool:
        if key in self.st.notices:
            return False
        self.st.notices[key] = at
        return True


class Audit(_R):
    async def record(self, actor_id, action, subject, reason, at, account_id=None) -> None:  # type: ignore[no-untyped-def]
        self.st.audit.append((actor_id, action, subject, reason, at, account_id))

    async def for_account(self, query):  # type: ignore[no-untyped-def]
        from stpulse.application.kernel.ports import AuditEntry

        rows = [AuditEntry(id=uuid.UUID(int=i + 1), account_id=a[5], actor_id=a[0], action=a[1], subject=a[2],
                           reason=a[3], at=a[4]) for i, a in enumerate(self.st.audit)]
        rows = [r for r in rows if r.account_id == query.account_id
                and (query.actor_id is None or r.actor_id == query.actor_id)
                and (not query.actions or r.action in query.actions)
                and (query.since is None or r.at >= query.since) and (query.until is None or r.at < query.until)]
        rows.sort(key=lambda r: (r.at, r.id), reverse=True)
        return rows[query.offset:query.offset + query.limit], len(rows)
