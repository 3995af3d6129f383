"""What the use cases of the ads context receive."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

import msgspec

from stpulse.application.ads.ports import AdKeyRepository, AdStatsStore, OzonPerformanceApiFactory
from stpulse.application.billing.policy import PolicyUnitOfWork
from stpulse.application.kernel.ports import Clock, JobQueue, KernelUnitOfWork, SecretBox
from stpulse.application.ledger.ports import ShopRepository


class AdsConfig(msgspec.Struct, frozen=True, kw_only=True):
    backfill_months: int = 12  # as the Seller sync: the first import loads this many months
    recent_days: int = 7  # every later import re-reads these days (Ozon finalises ad statistics late)


class AdsUnitOfWork(KernelUnitOfWork, PolicyUnitOfWork, Protocol):  # the tariff policy: a read-only account
    @property
    def ad_keys(self) -> AdKeyRepository: ...
    @property
    def ad_stats(self) -> AdStatsStore: ...
    @property
    def shops(self) -> ShopRepository: ...


class AdsDeps(Protocol):
    @property
    def uow(self) -> Callable[[], AdsUnitOfWork]: ...
    @property
    def clock(self) -> Clock: ...
    @property
    def jobs(self) -> JobQueue: ...
    @property
    def secrets(self) -> SecretBox: ...
    @property
    def performance(self) -> OzonPerformanceApiFactory | None: ...
    @property
    def ads(self) -> AdsConfig: ...
