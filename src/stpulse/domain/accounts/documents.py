"""The «Документы» section: what may be uploaded and how it is described."""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec

from stpulse.domain.kernel.errors import ValidationError

# extension -> (mime type, magic prefixes accepted; empty tuple: plain text checked separately)
ALLOWED_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "csv": ("text/csv", ()),
    "txt": ("text/plain", ()),
}


class StoredDocument(msgspec.Struct, frozen=True, kw_only=True):
    id: uuid.UUID
    account_id: uuid.UUID
    filename: str
    content_type: str
    size: int
    storage_key: str
    uploaded_by: uuid.UUID
    created_at: dt.datetime | None = None


def check_upload(filename: str, head: bytes, size: int, max_bytes: int) -> tuple[str, str]:
    """Return (safe filename, content type) or raise a Russian ValidationError."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    if not name or size == 0:
        raise ValidationError({"file": "Выберите непустой файл"})
    if size > max_bytes:
        limit_mb = max_bytes / 1024 / 1024
        raise ValidationError({"file": f"Файл больше допустимого размера {limit_mb:.0f} МБ"})
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in ALLOWED_TYPES:
        allowed = ", ".join(sorted(ALLOWED_TYPES))
        raise ValidationError({"file": f"Недопустимый тип файла. Разрешены: {allowed}"})
    mime, magics = ALLOWED_TYPES[ext]
    if magics and not any(head.startswith(m) for m in magics):
        raise ValidationError({"file": f"Содержимое файла не соответствует расширению .{ext}"})
    if not magics and b"\x00" in head:
        raise ValidationError({"file": "Текстовый файл содержит двоичные данные"})
    return name[:200], mime
