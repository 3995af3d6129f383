"""The Ozon Seller API as the application sees it: a port, its credentials, its errors, its records.

The adapter (`stpulse.adapters.ozon`) pages, chunks date ranges to each endpoint's limit, retries and
rate-limits, so callers ask for any range and get everything. Paged endpoints that can be large
(accruals, postings, returns) yield one batch per Ozon page so the sync can store as it goes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Sequence
from typing import Protocol

import msgspec

from stpulse.application.ozon.finance_records import (
    BalanceReport,
    BalanceService,
    CashFlowPeriod,
    RealizationMovement,
    RealizationReport,
    RealizationRow,
)
from stpulse.application.ozon.records import (
    AccrualPage,
    AccrualRecord,
    AccrualType,
    AnalyticsStockRow,
    BundleItem,
    BuyoutRow,
    Cluster,
    ClusterWarehouse,
    OzonReport,
    Posting,
    PostingFinance,
    PostingProduct,
    Product,
    ProductCommission,
    ProductInfo,
    ProductPrice,
    ReturnRecord,
    StockRow,
    Supply,
    SupplyOrder,
    TurnoverRow,
)
from stpulse.domain.kernel.errors import DomainError

__all__ = [
    "AccrualPage", "AccrualRecord", "AccrualType", "AnalyticsStockRow", "BalanceReport", "BundleItem", "BalanceService",
    "BuyoutRow", "CashFlowPeriod", "Cluster", "ClusterWarehouse", "OzonAccessDenied", "OzonBadRequest",
    "OzonCredentials", "OzonError", "OzonKeyInvalid", "OzonReport", "OzonSellerApi", "OzonSellerApiFactory",
    "OzonUnavailable", "OzonUnexpectedAnswer", "Posting", "PostingFinance", "PostingProduct", "Product",
    "ProductCommission", "ProductInfo", "ProductPrice", "RealizationMovement", "RealizationReport",
    "RealizationRow", "ReturnRecord", "StockRow", "Supply", "SupplyOrder", "TurnoverRow",
]


class OzonCredentials(msgspec.Struct, frozen=True, kw_only=True):
    """Client-Id and Api-Key of one Ozon seller cabinet. `repr` never shows the key."""

    client_id: str
    api_key: str

    def __repr__(self) -> str:
        return f"OzonCredentials(client_id={self.client_id!r}, api_key={mask_secret(self.api_key)!r})"

    __str__ = __repr__


def mask_secret(secret: str) -> str:
    """'a1b2c3d4-…-9f' -> '***9f': enough to tell keys apart in a log, never enough to use one."""
    return "***" + secret[-2:] if len(secret) > 8 else "***"


class OzonError(DomainError):
    """Base of everything the Ozon adapter raises. `path` and `http_status` help support; no secrets."""

    status = 502

    def __init__(self, message: str, *, path: str = "", http_status: int | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.http_status = http_status


class OzonKeyInvalid(OzonError):
    status = 400

    def __init__(self, *, path: str = "", http_status: int | None = None) -> None:
        super().__init__(
            "Ключ API недействителен: Ozon не принял Client-Id и Api-Key. Проверьте, что ключ скопирован "
            "полностью и не отозван, или создайте новый в личном кабинете Ozon (Настройки → Seller API) "
            "и сохраните его в настройках магазина.",
            path=path, http_status=http_status,
        )


class OzonAccessDenied(OzonError):
    status = 403

    def __init__(self, *, path: str = "", http_status: int | None = None) -> None:
        super().__init__(
            "У ключа API нет доступа к нужным данным Ozon. Создайте ключ с ролью «Администратор» "
            "(или добавьте роли «Финансы», «Товары», «Аналитика») и сохраните его в настройках магазина.",
            path=path, http_status=http_status,
        )


class OzonUnavailable(OzonError):
    status = 503

    def __init__(self, message: str = "", *, path: str = "", http_status: int | None = None) -> None:
        super().__init__(
            message or "Ozon сейчас не отвечает или ограничивает число запросов. Данные загрузятся "
            "автоматически при следующей синхронизации; можно также запустить её вручную позже.",
            path=path, http_status=http_status,
        )


class OzonUnexpectedAnswer(OzonUnavailable):
    def __init__(self, *, path: str = "", http_status: int | None = None) -> None:
        super().__init__(
            "Ozon прислал ответ, который не удалось разобрать. Синхронизация остановлена, чтобы не потерять "
            "данные; мы уже видим ошибку. Попробуйте повторить позже.",
            path=path, http_status=http_status,
        )


class OzonBadRequest(OzonError):
    status = 502

    def __init__(self, detail: str = "", *, path: str = "", http_status: int | None = None) -> None:
        reason = f" Ответ Ozon: «{detail}»." if detail else ""
        super().__init__(
            f"Ozon отклонил запрос {path}.{reason} Проверьте выбранный период и настройки магазина; "
            "если ошибка повторяется, напишите в поддержку.",
            path=path, http_status=http_status,
        )
        self.detail = detail


class OzonSellerApi(Protocol):
    """One seller cabinet's Seller API. Ranges of any length are accepted; the adapter chunks them."""

    async def check_access(self) -> None: ...
    async def accrual_types(self) -> list[AccrualType]: ...
    def accruals_by_day(self, day: dt.date) -> AsyncIterator[AccrualPage]: ...
    def postings_fbo(self, since: dt.datetime, to: dt.datetime) -> AsyncIterator[list[Posting]]: ...
    def postings_fbs(self, since: dt.datetime, to: dt.datetime) -> AsyncIterator[list[Posting]]: ...
    def returns(self, since: dt.datetime, to: dt.datetime) -> AsyncIterator[list[ReturnRecord]]: ...
    async def products(self) -> list[Product]: ...
    async def product_info(self, product_ids: Sequence[int]) -> list[ProductInfo]: ...
    async def prices(self) -> list[ProductPrice]: ...
    async def stocks(self) -> list[StockRow]: ...
    async def analytics_stocks(self, skus: Sequence[int]) -> list[AnalyticsStockRow]: ...
    async def turnover(self) -> list[TurnoverRow]: ...
    async def clusters(self, cluster_type: str = "CLUSTER_TYPE_OZON") -> list[Cluster]: ...
    async def supply_orders(self, states: Sequence[str]) -> list[SupplyOrder]: ...
    async def supply_bundle(self, bundle_id: str) -> list[BundleItem]: ...
    async def products_buyout(self, date_from: dt.date, date_to: dt.date) -> list[BuyoutRow]: ...
    async def compensations(self, year: int, month: int) -> OzonReport: ...
    async def decompensations(self, year: int, month: int) -> OzonReport: ...
    async def report_file(self, url: str) -> bytes: ...
    async def realization(self, year: int, month: int) -> RealizationReport: ...
    async def realization_by_day(self, day: dt.date) -> tuple[RealizationRow, ...]: ...
    async def cash_flow(self, date_from: dt.date, date_to: dt.date) -> list[CashFlowPeriod]: ...
    async def balance(self, date_from: dt.date, date_to: dt.date) -> list[BalanceReport]: ...


class OzonSellerApiFactory(Protocol):
    """Builds the API for one cabinet; `aclose` releases the shared connection pool."""

    def __call__(self, credentials: OzonCredentials) -> OzonSellerApi: ...
    async def aclose(self) -> None: ...
