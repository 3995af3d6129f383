"""Content pages (help, offer, privacy policy) written by an admin in Markdown."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import msgspec

from stpulse.domain.kernel.errors import ValidationError

_SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")


class ContentPage(msgspec.Struct, frozen=True, kw_only=True):
    id: uuid.UUID
    slug: str
    title: str
    body_markdown: str
    published: bool = True
    updated_at: dt.datetime | None = None


def validate_page(slug: str, title: str, body: str) -> tuple[str, str, str]:
    errors: dict[str, str] = {}
    slug = (slug or "").strip().lower()
    if not _SLUG_RE.match(slug):
        errors["slug"] = "Адрес страницы: латинские буквы, цифры и дефис, до 80 символов"
    if not (title or "").strip():
        errors["title"] = "Укажите заголовок"
    if len(body or "") > 200_000:
        errors["body_markdown"] = "Текст слишком длинный (не более 200 000 символов)"
    if errors:
        raise ValidationError(errors)
    return slug, title.strip(), body or ""
