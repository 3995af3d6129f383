"""Ports of the ads context: the Performance API (one ad account per key) and the storage of keys and statistics."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Collection, Mapping, Sequence
from typing import Protocol

import msgspec

from stpulse.domain.ads.keys import KeyStatus, PerformanceKey
from stpulse.domain.kernel.errors import DomainError
from stpulse.domain.ledger.ad_stats import AdCampaignInfo, AdStat


class PerformanceCredentials(msgspec.Struct, frozen=True, kw_only=True):
    """Client ID and Client Secret of one ad account. `repr` never shows the secret."""

    client_id: str
    client_secret: str
    organisation: str = ""

    def __repr__(self) -> str:
        return f"PerformanceCredentials(client_id={self.client_id!r}, client_secret='***')"

    __str__ = __repr__


class PerformanceError(DomainError):
    """What the Performance adapter raises; `kind` classifies it for the sync history and the shop page."""

    status = 502
    kind = "error"


class PerformanceKeyInvalid(PerformanceError):
    status = 400
    kind = "bad_key"

    def __init__(self, answer: str = "") -> None:
        self.detail = "Ozon не принял Client ID и Client Secret" + (f" (ответ Ozon: «{answer[:200]}»)" if answer else "")
        super().__init__(f"Ключ Performance API отозван или недействителен: {self.detail}. Проверьте ключ в рекламном "
                         "кабинете Ozon (Настройки → API-ключи) и сохраните новый.")


class PerformanceLimit(PerformanceError):
    status = 429
    kind = "limit"

    def __init__(self, detail: str = "") -> None:
        super().__init__(f"Ozon ограничил число отчётов рекламного кабинета{f': «{detail}»' if detail else ''}. "
                         "Загрузка продолжится при следующей синхронизации.")


class PerformanceUnavailable(PerformanceError):
    status = 503
    kind = "unavailable"

    def __init__(self, detail: str = "") -> None:
        super().__init__("Performance API Ozon сейчас не отвечает. Загрузка продолжится при следующей "
                         f"синхронизации.{f' ({detail})' if detail else ''}")


class OzonPerformanceApi(Protocol):
    """One ad account. `statistics` runs Ozon's asynchronous reports itself, within Ozon's limits."""

    async def check(self) -> None: ...  # gets a token: raises PerformanceKeyInvalid for a bad key
    async def campaigns(self) -> list[AdCampaignInfo]: ...
    async def statistics(self, campaign_ids: Sequence[int], date_from: dt.date, date_to: dt.date) -> list[AdStat]: ...


class OzonPerformanceApiFactory(Protocol):
    def __call__(self, credentials: PerformanceCredentials) -> OzonPerformanceApi: ...


class StoredKey(msgspec.Struct, frozen=True, kw_only=True):
    key: PerformanceKey
    secret: bytes  # encrypted Client Secret (SecretBox)


class AdKeyRepository(Protocol):
    async def add(self, key: PerformanceKey, secret: bytes) -> None: ...
    async def get(self, account_id: uuid.UUID, key_id: uuid.UUID) -> StoredKey | None: ...
    async def by_id(self, key_id: uuid.UUID) -> StoredKey | None: ...  # for the worker (ids only in messages)
    async def of_shop(self, account_id: uuid.UUID, shop_id: uuid.UUID) -> list[PerformanceKey]: ...
    async def rotate(self, key_id: uuid.UUID, secret: bytes, client_id: str) -> None: ...
    async def set_status(self, key_id: uuid.UUID, status: KeyStatus, error: str, at: dt.datetime) -> None: ...
    async def set_done_through(self, key_id: uuid.UUID, day: dt.date, at: dt.datetime) -> None: ...
    async def remove(self, key_id: uuid.UUID) -> None: ...


class AdStatsStore(Protocol):
    async def save_campaigns(self, shop_id: uuid.UUID, key_id: uuid.UUID,
                             campaigns: Sequence[AdCampaignInfo]) -> None: ...
    async def accrual_charges(self, shop_id: uuid.UUID, campaign_ids: Collection[int], date_from: dt.date,
                              date_to: dt.date) -> Mapping[tuple[int, dt.date], int]: ...
    async def replace_stats(self, shop_id: uuid.UUID, key_id: uuid.UUID, campaign_ids: Collection[int],
                            date_from: dt.date, date_to: dt.date, stats: Sequence[AdStat]) -> None: ...
    async def rebuild_cabinet_rollups(self, shop_id: uuid.UUID, date_from: dt.date, date_to: dt.date) -> None: ...
