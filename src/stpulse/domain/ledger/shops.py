"""Ozon shops of an account."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from enum import StrEnum

import msgspec

from stpulse.domain.kernel.moscow import moscow_time_text


class ShopStatus(StrEnum):
    NEW = "new"
    ACTIVE = "active"
    KEY_INVALID = "key_invalid"
    PAUSED = "paused"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {
    ShopStatus.NEW: "Подключён, ждёт первой загрузки",
    ShopStatus.ACTIVE: "Работает",
    ShopStatus.KEY_INVALID: "Ключ API недействителен",
    ShopStatus.PAUSED: "Загрузка приостановлена",
}


class Shop(msgspec.Struct, frozen=True, kw_only=True):
    id: uuid.UUID
    account_id: uuid.UUID
    name: str
    client_id: str
    status: ShopStatus = ShopStatus.NEW
    legal_entity_id: uuid.UUID | None = None
    last_synced_at: dt.datetime | None = None
    created_at: dt.datetime | None = None
    synced_from: dt.date | None = None  # accruals are in the database for synced_from..synced_to
    synced_to: dt.date | None = None


def data_age(shops: Sequence[Shop]) -> str:
    """How old a report's Ozon data is: the oldest last successful sync of its shops, in Moscow time; the shops
    never synced are named instead."""
    if not shops:
        return ""
    never = [s.name for s in shops if s.last_synced_at is None]
    if never:
        return "Данные Ozon ещё не загружены: " + ", ".join(f"«{n}»" for n in never)
    return f"Данные Ozon на {moscow_time_text(min(s.last_synced_at for s in shops if s.last_synced_at))}"
