"""Content pages: the admin writes Markdown, the cabinet shows sanitised HTML."""

from __future__ import annotations

import uuid

import msgspec

from stpulse.application.accounts.deps import AccountsDeps
from stpulse.application.kernel.deps import new_id
from stpulse.domain.accounts.content import ContentPage, validate_page
from stpulse.domain.accounts.legal_docs import Operator, is_current, legal_docs
from stpulse.domain.accounts.users import User
from stpulse.domain.kernel.errors import Conflict, NotFound, PermissionDenied


class PageForm(msgspec.Struct, frozen=True, kw_only=True):
    slug: str = ""
    title: str = ""
    body_markdown: str = ""
    published: bool = False


class RenderedPage(msgspec.Struct, frozen=True, kw_only=True):
    page: ContentPage
    html: str


def _admin(user: User) -> None:
    if not user.is_admin:
        raise PermissionDenied("Раздел доступен только администраторам")


async def list_pages(deps: AccountsDeps, admin: User) -> list[ContentPage]:
    _admin(admin)
    async with deps.uow() as uow:
        return await uow.pages.all()


async def get_page(deps: AccountsDeps, admin: User, page_id: uuid.UUID) -> ContentPage:
    _admin(admin)
    async with deps.uow() as uow:
        page = await uow.pages.get(page_id)
    if page is None:
        raise NotFound("Страница не найдена")
    return page


async def save_page(deps: AccountsDeps, admin: User, form: PageForm, page_id: uuid.UUID | None = None) -> ContentPage:
    _admin(admin)
    slug, title, body = validate_page(form.slug, form.title, form.body_markdown)
    async with deps.uow() as uow:
        same_slug = await uow.pages.by_slug(slug)
        if same_slug and same_slug.id != page_id:
            raise Conflict("Страница с таким адресом уже есть")
        page = ContentPage(id=page_id or new_id(), slug=slug, title=title, body_markdown=body,
                           published=form.published, updated_at=deps.clock.now())
        if page_id is None:
            await uow.pages.add(page)
        elif await uow.pages.get(page_id) is None:
            raise NotFound("Страница не найдена")
        else:
            await uow.pages.update(page)
        await uow.commit()
    return page


async def delete_page(deps: AccountsDeps, admin: User, page_id: uuid.UUID) -> None:
    await get_page(deps, admin, page_id)
    async with deps.uow() as uow:
        await uow.pages.delete(page_id)
        await uow.commit()


async def show_page(deps: AccountsDeps, slug: str, viewer: User | None) -> RenderedPage:
    async with deps.uow() as uow:
        page = await uow.pages.by_slug(slug)
    if page is None or (not page.published and not (viewer and viewer.is_admin)):
        raise NotFound("Страница не найдена")
    return RenderedPage(page=page, html=deps.markdown.render(page.body_markdown))


async def ensure_legal_pages(deps: AccountsDeps, operator: Operator) -> list[str]:
    """Create the offer, the privacy policy and the consent from the operator's requisites where missing, and
    replace a page that is not the current edition (an older one, or an early placeholder). Returns the slugs
    written. Run by `stpulse migrate` and `stpulse demo`, so production has them too."""
    written = []
    async with deps.uow() as uow:
        for doc in legal_docs(operator):
            page = await uow.pages.by_slug(doc.slug)
            if page is not None and is_current(page.body_markdown):
                continue
            fresh = ContentPage(id=page.id if page else new_id(), slug=doc.slug, title=doc.title,
                                body_markdown=doc.body_markdown, published=True, updated_at=deps.clock.now())
            await (uow.pages.update(fresh) if page else uow.pages.add(fresh))
            written.append(doc.slug)
        await uow.commit()
    return written
