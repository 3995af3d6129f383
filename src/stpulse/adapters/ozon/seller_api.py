"""`OzonSellerClient` — the Seller API port for one cabinet — and the factory that shares one pool."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable

import httpx

from stpulse.adapters.ozon.client import OzonHttp, OzonHttpSettings, build_http_client
from stpulse.adapters.ozon.ratelimit import BucketSource, Sleep, shared_bucket
from stpulse.adapters.ozon.seller_catalog import CatalogCalls
from stpulse.adapters.ozon.seller_finance import FinanceCalls
from stpulse.adapters.ozon.seller_orders import OrderCalls
from stpulse.application.ozon.ports import OzonCredentials


class OzonSellerClient(FinanceCalls, OrderCalls, CatalogCalls):
    """Implements `stpulse.application.ozon.ports.OzonSellerApi` over an `OzonHttp` transport."""

    def __init__(self, http: OzonHttp) -> None:
        self._http = http

    @property
    def requests_sent(self) -> int:
        return self._http.requests_sent

    @property
    def requests_by_path(self) -> dict[str, int]:
        return dict(self._http.requests_by_path)

    def __repr__(self) -> str:
        return f"OzonSellerClient({self._http!r})"


class OzonSellerClientFactory:
    """Implements `OzonSellerApiFactory`: one pooled `httpx.AsyncClient` for every cabinet.

    `transport` lets tests and the embedded mode plug in `httpx.MockTransport` or `httpx.ASGITransport`
    (the in-process sandbox) without a socket.
    """

    def __init__(
        self, settings: OzonHttpSettings, *, transport: httpx.AsyncBaseTransport | None = None,
        sleep: Sleep = asyncio.sleep, jitter: Callable[[], float] = random.random,
        buckets: BucketSource = shared_bucket,
    ) -> None:
        self._settings, self._buckets = settings, buckets
        self._client = build_http_client(settings, transport)
        self._sleep = sleep
        self._jitter = jitter

    def __call__(self, credentials: OzonCredentials) -> OzonSellerClient:
        http = OzonHttp(self._client, self._settings, credentials, sleep=self._sleep, jitter=self._jitter,
                        buckets=self._buckets)
        return OzonSellerClient(http)

    async def aclose(self) -> None:
        await self._client.aclose()
        closer = getattr(self._buckets, "aclose", None)
        if closer is not None:
            await closer()
