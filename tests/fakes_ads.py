"""Performance keys and ad statistics in the in-memory store (`Store.__dict__["ads"]`), like adapters/db/ads."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from msgspec.structs import replace

from stpulse.application.ads.ports import StoredKey
from stpulse.domain.ads.keys import KeyStatus, PerformanceKey
from stpulse.domain.ledger.ad_stats import AdCampaignInfo, AdStat
from tests.fakes import Store


def _t(store: Store) -> dict[str, Any]:
    return store.__dict__.setdefault("ads", {"keys": {}, "campaigns": {}, "stats": {}})


class FakeAdKeys:
    def __init__(self, store: Store) -> None:
        self.st = store

    async def add(self, key: PerformanceKey, secret: bytes) -> None:
        _t(self.st)["keys"][key.id] = StoredKey(key=key, secret=secret)

    async def get(self, account_id: uuid.UUID, key_id: uuid.UUID) -> StoredKey | None:
        found = _t(self.st)["keys"].get(key_id)
        return found if found is not None and found.key.account_id == account_id else None

    async def by_id(self, key_id: uuid.UUID) -> StoredKey | None:
        return _t(self.st)["keys"].get(key_id)

    async def of_shop(self, account_id: uuid.UUID, shop_id: uuid.UUID) -> list[PerformanceKey]:
        return sorted((s.key for s in _t(self.st)["keys"].values()
                       if s.key.account_id == account_id and s.key.shop_id == shop_id), key=lambda k: k.created_at)

    def _update(self, key_id: uuid.UUID, secret: bytes | None = None, **fields: Any) -> None:
        keys = _t(self.st)["keys"]
        if key_id in keys:
            old = keys[key_id]
            keys[key_id] = StoredKey(key=replace(old.key, **fields), secret=old.secret if secret is None else secret)

    async def rotate(self, key_id: uuid.UUID, secret: bytes, client_id: str) -> None:
        self._update(key_id, secret, client_id=client_id, status=KeyStatus.ACTIVE, last_error="")

    async def set_status(self, key_id: uuid.UUID, status: KeyStatus, error: str, at: dt.datetime) -> None:
        self._update(key_id, status=status, last_error=error, last_sync_at=at)

    async def set_done_through(self, key_id: uuid.UUID, day: dt.date, at: dt.datetime) -> None:
        self._update(key_id, done_through=day, last_sync_at=at)

    async def remove(self, key_id: uuid.UUID) -> None:
        _t(self.st)["keys"].pop(key_id, None)


class FakeAdStats:
    """Keeps what the import saves; the in-memory store has no accrual-charged campaigns and no rollups to rebuild."""

    def __init__(self, store: Store) -> None:
        self.st = store

    async def save_campaigns(self, shop_id: uuid.UUID, key_id: uuid.UUID, campaigns: Sequence[AdCampaignInfo]) -> None:
        _t(self.st)["campaigns"][(shop_id, key_id)] = list(campaigns)

    async def accrual_charges(self, shop_id: uuid.UUID, campaign_ids: Collection[int], date_from: dt.date,
                              date_to: dt.date) -> Mapping[tuple[int, dt.date], int]:
        return {}

    async def replace_stats(self, shop_id: uuid.UUID, key_id: uuid.UUID, campaign_ids: Collection[int],
                            date_from: dt.date, date_to: dt.date, stats: Sequence[AdStat]) -> None:
        _t(self.st)["stats"][(shop_id, key_id, date_from, date_to)] = list(stats)

    async def rebuild_cabinet_rollups(self, shop_id: uuid.UUID, date_from: dt.date, date_to: dt.date) -> None:
        return None
