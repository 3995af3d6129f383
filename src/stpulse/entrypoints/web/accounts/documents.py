"""«Документы»: upload, list (paged), download and delete one's own files."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import quote

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.di import Provide
from litestar.response import Redirect, Template

from stpulse.application.accounts import documents as svc
from stpulse.application.accounts.actor import Actor
from stpulse.domain.accounts.documents import ALLOWED_TYPES
from stpulse.domain.accounts.users import Permission
from stpulse.domain.kernel.errors import ValidationError
from stpulse.entrypoints.web.auth import deps_of, provide_actor
from stpulse.entrypoints.web.forms import PageNumber
from stpulse.entrypoints.web.render import redirect, render


class DocumentController(Controller):
    path = "/app/documents"
    dependencies = {"actor": Provide(provide_actor)}

    async def _page(self, request: Request, actor: Actor, page: int = 1, status: int = 200, **extra: Any) -> Template:
        listing = await svc.list_documents(deps_of(request), actor, page)
        limit_mb = deps_of(request).config.upload_max_bytes // (1024 * 1024)
        return render(request, "accounts/documents.html", partial="accounts/partials/documents_body.html", status=status,
                      actor=actor, listing=listing, allowed=", ".join(sorted(ALLOWED_TYPES)), limit_mb=limit_mb,
                      can_edit=actor.membership.can(Permission.EDIT_DATA), **extra)

    @get("/")
    async def index(self, request: Request, actor: Actor, page: PageNumber = 1) -> Template:
        return await self._page(request, actor, page)

    @post("/upload", opt={"upload": True})
    async def upload(self, request: Request, actor: Actor) -> Template:
        form = await request.form()
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            return await self._page(request, actor, status=422, errors={"file": "Выберите файл"})
        limit = deps_of(request).config.upload_max_bytes
        data = await upload.read(limit + 1)
        try:
            doc = await svc.upload_document(deps_of(request), actor, upload.filename or "", data)
        except ValidationError as exc:
            return await self._page(request, actor, status=422, errors=exc.fields)
        return await self._page(request, actor, uploaded=doc.filename)

    @get("/{doc_id:uuid}/download")
    async def download(self, request: Request, actor: Actor, doc_id: uuid.UUID) -> Response:
        doc, data = await svc.download_document(deps_of(request), actor, doc_id)
        disposition = f"attachment; filename*=UTF-8''{quote(doc.filename)}"
        return Response(content=data, media_type=doc.content_type,
                        headers={"Content-Disposition": disposition, "X-Content-Type-Options": "nosniff"})

    @post("/{doc_id:uuid}/delete")
    async def delete(self, request: Request, actor: Actor, doc_id: uuid.UUID) -> Redirect:
        await svc.delete_document(deps_of(request), actor, doc_id)
        return redirect(request, "/app/documents")
