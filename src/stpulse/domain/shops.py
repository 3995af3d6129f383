"""Ozon shops of an account."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum

import msgspec


class ShopStatus(StrEnum):
    NEW = "new"
    ACTIVE = "active"
    KEY_INVALID = "key_invalid"
    PAUSED = "paused"


class Shop(msgspec.Struct, frozen=True, kw_only=True):
    id: uuid.UUID
    account_id: uuid.UUID
    name: str
    client_id: str
    status: ShopStatus = ShopStatus.NEW
    legal_entity_id: uuid.UUID | None = None
    last_synced_at: dt.datetime | None = None
    created_at: dt.datetime | None = None
