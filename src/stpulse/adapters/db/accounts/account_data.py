"""Repositories of what an account owns (legal entities, documents, shops) and of site-wide data."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from sqlalchemy import String, cast, delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from stpulse.adapters.db.accounts import models as m
from stpulse.adapters.db.accounts.repositories import _like
from stpulse.adapters.db.arrays import among
from stpulse.adapters.db.ledger import models as f
from stpulse.adapters.db.mapping import apply, row_values, to_domain
from stpulse.application.kernel.ports import AuditEntry, AuditQuery
from stpulse.application.ledger.ports import CatalogItem
from stpulse.domain.accounts.content import ContentPage
from stpulse.domain.accounts.documents import StoredDocument
from stpulse.domain.accounts.legal import LegalEntity
from stpulse.domain.ledger.shops import Shop


class _Repo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session


class LegalEntityRepo(_Repo):
    async def add(self, entity: LegalEntity) -> None:
        self.s.add(m.LegalEntityRow(**row_values(entity)))
        await self.s.flush()

    async def _row(self, account_id: uuid.UUID, entity_id: uuid.UUID) -> m.LegalEntityRow | None:
        stmt = select(m.LegalEntityRow).where(m.LegalEntityRow.id == entity_id, m.LegalEntityRow.account_id == account_id)
        return (await self.s.execute(stmt)).scalar_one_or_none()

    async def get(self, account_id: uuid.UUID, entity_id: uuid.UUID) -> LegalEntity | None:
        row = await self._row(account_id, entity_id)
        return to_domain(row, LegalEntity) if row else None

    async def update(self, entity: LegalEntity) -> None:
        row = await self._row(entity.account_id, entity.id)
        if row is not None:
            apply(row, row_values(entity), skip=("id", "account_id"))

    async def delete(self, account_id: uuid.UUID, entity_id: uuid.UUID) -> None:
        await self.s.execute(delete(m.LegalEntityRow).where(m.LegalEntityRow.id == entity_id,
                                                            m.LegalEntityRow.account_id == account_id))

    async def for_account(self, account_id: uuid.UUID) -> list[LegalEntity]:
        stmt = select(m.LegalEntityRow).where(m.LegalEntityRow.account_id == account_id).order_by(m.LegalEntityRow.name)
        return [to_domain(r, LegalEntity) for r in (await self.s.execute(stmt)).scalars()]


class DocumentRepo(_Repo):
    async def add(self, doc: StoredDocument) -> None:
        self.s.add(m.DocumentRow(**row_values(doc)))
        await self.s.flush()

    async def get(self, account_id: uuid.UUID, doc_id: uuid.UUID) -> StoredDocument | None:
        stmt = select(m.DocumentRow).where(m.DocumentRow.id == doc_id, m.DocumentRow.account_id == account_id)
        row = (await self.s.execute(stmt)).scalar_one_or_none()
        return to_domain(row, StoredDocument) if row else None

    async def delete(self, account_id: uuid.UUID, doc_id: uuid.UUID) -> None:
        await self.s.execute(delete(m.DocumentRow).where(m.DocumentRow.id == doc_id,
                                                         m.DocumentRow.account_id == account_id))

    async def for_account(self, account_id: uuid.UUID, offset: int, limit: int) -> tuple[list[StoredDocument], int]:
        where = m.DocumentRow.account_id == account_id
        total = (await self.s.execute(select(func.count()).where(where))).scalar_one()
        stmt = select(m.DocumentRow).where(where).order_by(m.DocumentRow.created_at.desc()).offset(offset).limit(limit)
        return [to_domain(r, StoredDocument) for r in (await self.s.execute(stmt)).scalars()], int(total)

    async def total_size(self, account_id: uuid.UUID) -> int:
        stmt = select(func.coalesce(func.sum(m.DocumentRow.size), 0)).where(m.DocumentRow.account_id == account_id)
        return int((await self.s.execute(stmt)).scalar_one())


class ContentPageRepo(_Repo):
    async def add(self, page: ContentPage) -> None:
        self.s.add(m.ContentPageRow(**row_values(page)))
        await self.s.flush()

    async def get(self, page_id: uuid.UUID) -> ContentPage | None:
        row = await self.s.get(m.ContentPageRow, page_id)
        return to_domain(row, ContentPage) if row else None

    async def by_slug(self, slug: str) -> ContentPage | None:
        row = (await self.s.execute(select(m.ContentPageRow).where(m.ContentPageRow.slug == slug))).scalar_one_or_none()
        return to_domain(row, ContentPage) if row else None

    async def update(self, page: ContentPage) -> None:
        row = await self.s.get(m.ContentPageRow, page.id)
        if row is not None:
            apply(row, row_values(page), skip=("id", "created_at", "updated_at"))

    async def delete(self, page_id: uuid.UUID) -> None:
        await self.s.execute(delete(m.ContentPageRow).where(m.ContentPageRow.id == page_id))

    async def all(self) -> list[ContentPage]:
        rows = (await self.s.execute(select(m.ContentPageRow).order_by(m.ContentPageRow.slug))).scalars()
        return [to_domain(r, ContentPage) for r in rows]

    async def search(self, query: str, limit: int) -> list[ContentPage]:
        pattern = _like(query)
        stmt = select(m.ContentPageRow).where(or_(func.lower(m.ContentPageRow.title).like(pattern, escape="\\"),
                                                  func.lower(m.ContentPageRow.body_markdown).like(pattern, escape="\\")))
        return [to_domain(r, ContentPage) for r in (await self.s.execute(stmt.limit(limit))).scalars()]


class ShopRepo(_Repo):
    async def add(self, shop: Shop, api_key_encrypted: bytes) -> None:
        self.s.add(m.ShopRow(**row_values(shop), api_key_encrypted=api_key_encrypted))
        await self.s.flush()

    async def get(self, account_id: uuid.UUID, shop_id: uuid.UUID) -> Shop | None:
        stmt = select(m.ShopRow).where(m.ShopRow.id == shop_id, m.ShopRow.account_id == account_id)
        row = (await self.s.execute(stmt)).scalar_one_or_none()
        return to_domain(row, Shop) if row else None

    async def for_account(self, account_id: uuid.UUID) -> list[Shop]:
        stmt = select(m.ShopRow).where(m.ShopRow.account_id == account_id).order_by(m.ShopRow.name)
        return [to_domain(r, Shop) for r in (await self.s.execute(stmt)).scalars()]

    async def search(self, account_id: uuid.UUID, query: str, limit: int) -> list[Shop]:
        pattern = _like(query)
        stmt = select(m.ShopRow).where(m.ShopRow.account_id == account_id,
                                       or_(func.lower(m.ShopRow.name).like(pattern, escape="\\"),
                                           m.ShopRow.client_id.like(pattern, escape="\\")))
        return [to_domain(r, Shop) for r in (await self.s.execute(stmt.limit(limit))).scalars()]

    async def search_products(self, shop_ids: Sequence[uuid.UUID], query: str, limit: int) -> list[CatalogItem]:
        if not shop_ids:
            return []
        p, pattern = f.ProductRow, _like(query)
        stmt = (select(p.shop_id, p.sku, p.offer_id, p.name)
                .where(among(self.s, p.shop_id, shop_ids),
                       or_(func.lower(p.offer_id).like(pattern, escape="\\"),
                           func.lower(p.name).like(pattern, escape="\\"),
                           cast(p.sku, String).like(pattern, escape="\\")))
                .order_by(p.offer_id, p.shop_id).limit(limit))
        return [CatalogItem(shop_id=s, sku=k, offer_id=o, name=n) for s, k, o, n in (await self.s.execute(stmt)).all()]

    async def by_id(self, shop_id: uuid.UUID) -> Shop | None:
        row = await self.s.get(m.ShopRow, shop_id)
        return to_domain(row, Shop) if row else None

    async def update(self, shop: Shop) -> None:
        row = await self.s.get(m.ShopRow, shop.id)
        if row is not None:
            apply(row, row_values(shop), skip=("id", "account_id", "created_at"))
            await self.s.flush()

    async def set_key(self, shop_id: uuid.UUID, api_key_encrypted: bytes) -> None:
        row = await self.s.get(m.ShopRow, shop_id)
        if row is not None:
            row.api_key_encrypted = api_key_encrypted
            await self.s.flush()

    async def set_legal_entity(self, shop_id: uuid.UUID, entity_id: uuid.UUID | None) -> None:
        # one column: the sync updates the same row's status and dates meanwhile
        await self.s.execute(update(m.ShopRow).where(m.ShopRow.id == shop_id).values(legal_entity_id=entity_id))

    async def api_key(self, shop_id: uuid.UUID) -> bytes | None:
        return (await self.s.execute(select(m.ShopRow.api_key_encrypted).where(m.ShopRow.id == shop_id))).scalar()

    async def delete(self, account_id: uuid.UUID, shop_id: uuid.UUID) -> None:
        await self.s.execute(delete(m.ShopRow).where(m.ShopRow.id == shop_id, m.ShopRow.account_id == account_id))

    async def syncable(self) -> list[Shop]:
        """Shops of every account the hourly sync should visit (a revoked key waits for a new one)."""
        stmt = select(m.ShopRow).where(m.ShopRow.status.in_(("new", "active"))).order_by(m.ShopRow.id)
        return [to_domain(r, Shop) for r in (await self.s.execute(stmt)).scalars()]

    async def connected_client_ids(self, client_ids: frozenset[str]) -> frozenset[str]:
        if not client_ids:
            return frozenset()
        stmt = select(m.ShopRow.client_id).where(m.ShopRow.client_id.in_(sorted(client_ids))).distinct()
        return frozenset((await self.s.execute(stmt)).scalars())


class HeartbeatRepo(_Repo):
    async def beat(self, name: str, at: dt.datetime) -> None:
        row = (await self.s.execute(select(m.HeartbeatRow).where(m.HeartbeatRow.name == name))).scalar_one_or_none()
        if row is None:
            self.s.add(m.HeartbeatRow(name=name, at=at))
        else:
            row.at = at

    async def last(self, name: str) -> dt.datetime | None:
        stmt = select(m.HeartbeatRow.at).where(m.HeartbeatRow.name == name)
        return (await self.s.execute(stmt)).scalar_one_or_none()


class NoticeLogRepo(_Repo):
    async def seen(self, key: str) -> bool:
        return await self.s.get(m.SentNoticeRow, key) is not None

    async def claim(self, key: str, at: dt.datetime) -> bool:
        if await self.seen(key):
            return False
        try:
            async with self.s.begin_nested():
                self.s.add(m.SentNoticeRow(key=key, sent_at=at))
        except IntegrityError:  # another worker claimed it a moment ago
            return False
        return True


class AuditRepo(_Repo):
    async def record(self, actor_id: uuid.UUID | None, action: str, subject: str, reason: str, at: dt.datetime,
                     account_id: uuid.UUID | None = None) -> None:
        self.s.add(m.AuditRow(account_id=account_id, actor_id=actor_id, action=action, subject=subject[:200],
                              reason=reason[:500], at=at))
        await self.s.flush()

    async def for_account(self, query: AuditQuery) -> tuple[list[AuditEntry], int]:
        row = m.AuditRow
        where = [row.account_id == query.account_id]
        if query.actor_id is not None:
            where.append(row.actor_id == query.actor_id)
        if query.actions:
            where.append(row.action.in_(query.actions))
        if query.since is not None:
            where.append(row.at >= query.since)
        if query.until is not None:
            where.append(row.at < query.until)
        total = (await self.s.execute(select(func.count()).select_from(row).where(*where))).scalar_one()
        stmt = (select(row).where(*where).order_by(row.at.desc(), row.id.desc())
                .offset(query.offset).limit(query.limit))
        entries = [AuditEntry(id=r.id, account_id=r.account_id, actor_id=r.actor_id, action=r.action,
                              subject=r.subject, reason=r.reason, at=r.at)
                   for r in (await self.s.execute(stmt)).scalars()]
        return entries, int(total)
