"""The «Документы» section: a team's own files."""

from __future__ import annotations

import uuid

import msgspec

from stpulse.application.accounts.actor import Actor
from stpulse.application.accounts.deps import AccountsDeps
from stpulse.application.billing.policy import check_storage, require_writable
from stpulse.application.kernel.deps import new_id
from stpulse.application.kernel.uploads import refuse_infected
from stpulse.domain.accounts.documents import StoredDocument, check_upload
from stpulse.domain.accounts.users import Permission
from stpulse.domain.kernel.errors import NotFound

PAGE_SIZE = 20


class DocumentPage(msgspec.Struct, frozen=True, kw_only=True):
    items: list[StoredDocument]
    total: int
    page: int
    pages: int


async def upload_document(deps: AccountsDeps, actor: Actor, filename: str, data: bytes) -> StoredDocument:
    actor.membership.require(Permission.EDIT_DATA)
    name, mime = check_upload(filename, data[:16], len(data), deps.config.upload_max_bytes)
    await refuse_infected(deps.scanner, data, name, actor.user.id)
    async with deps.uow() as uow:
        await require_writable(uow, actor.account_id, deps.clock.now())
        check_storage(await uow.documents.total_size(actor.account_id), len(data), deps.config.documents_quota_bytes)
    doc_id = new_id()
    doc = StoredDocument(id=doc_id, account_id=actor.account_id, filename=name, content_type=mime, size=len(data),
                         storage_key=f"{actor.account_id}/{doc_id}", uploaded_by=actor.user.id,
                         created_at=deps.clock.now())
    await deps.storage.save(doc.storage_key, data)
    async with deps.uow() as uow:
        await uow.documents.add(doc)
        await uow.commit()
    return doc


async def list_documents(deps: AccountsDeps, actor: Actor, page: int = 1) -> DocumentPage:
    page = max(page, 1)
    async with deps.uow() as uow:
        items, total = await uow.documents.for_account(actor.account_id, (page - 1) * PAGE_SIZE, PAGE_SIZE)
    return DocumentPage(items=items, total=total, page=page, pages=max(1, -(-total // PAGE_SIZE)))


async def _own(deps: AccountsDeps, actor: Actor, doc_id: uuid.UUID) -> StoredDocument:
    async with deps.uow() as uow:
        doc = await uow.documents.get(actor.account_id, doc_id)
    if doc is None:
        raise NotFound("Документ не найден")
    return doc


async def download_document(deps: AccountsDeps, actor: Actor, doc_id: uuid.UUID) -> tuple[StoredDocument, bytes]:
    doc = await _own(deps, actor, doc_id)
    return doc, await deps.storage.load(doc.storage_key)


async def delete_document(deps: AccountsDeps, actor: Actor, doc_id: uuid.UUID) -> None:
    actor.membership.require(Permission.EDIT_DATA)
    doc = await _own(deps, actor, doc_id)
    async with deps.uow() as uow:
        await require_writable(uow, actor.account_id, deps.clock.now())
        await uow.documents.delete(actor.account_id, doc_id)
        await uow.commit()
    await deps.storage.delete(doc.storage_key)
