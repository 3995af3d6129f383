"""Explicit mapping between ORM rows and domain structs."""

from __future__ import annotations

import uuid
from typing import Any, TypeVar

import msgspec

T = TypeVar("T", bound=msgspec.Struct)


def shop_ids_to_text(ids: frozenset[uuid.UUID] | None) -> str | None:
    return None if ids is None else ",".join(sorted(str(i) for i in ids))


def shop_ids_from_text(text: str | None) -> frozenset[uuid.UUID] | None:
    return None if text is None else frozenset(uuid.UUID(part) for part in text.split(",") if part)


def to_domain(row: Any, cls: type[T], **overrides: Any) -> T:
    data = {name: getattr(row, name) for name in cls.__struct_fields__ if hasattr(row, name)}
    data.update(overrides)
    return msgspec.convert(data, type=cls, strict=False)


def row_values(obj: msgspec.Struct, **overrides: Any) -> dict[str, Any]:
    data = {name: getattr(obj, name) for name in obj.__struct_fields__}
    data.update(overrides)
    for stamp in ("created_at", "updated_at"):  # unknown stamps are left to the row's own default
        if stamp in data and data[stamp] is None:
            del data[stamp]
    return data


def apply(row: Any, values: dict[str, Any], skip: tuple[str, ...] = ("id",)) -> None:
    for key, value in values.items():
        if key not in skip and hasattr(row, key):
            setattr(row, key, value)
