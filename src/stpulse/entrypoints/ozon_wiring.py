"""The Seller API client for this process, and the embedded Ozon sandbox (one per process).

In embedded mode with the default URL the client talks to the sandbox in-process (no socket), so
`stpulse sync` and `stpulse demo` work without a running server; the web app also mounts the same
sandbox under /sandbox/ozon for anyone who wants to call it over HTTP.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx

from stpulse.adapters.ozon import OzonHttpSettings, OzonSellerClientFactory
from stpulse.entrypoints.settings import Settings

SANDBOX_PATH = "/sandbox/ozon"
# Sellers the embedded sandbox serves: Client-Id → (Api-Key, seed, profile). Shown on the connect form.
EMBEDDED_SHOPS = {
    "100001": ("sandbox-key-100001", 1, "small"),
    "100002": ("sandbox-key-100002", 2, "medium"),
    "100003": ("sandbox-key-100003", 3, "large"),
}
# Order days the sandbox keeps generated: the accrual look-back plus the days a sync fetches concurrently
# (an LRU just the size of the look-back thrashes on a sequential scan with a few days in flight).
ORIGIN_CACHE = 200
_state: Any = None


def embedded_sandbox_state() -> Any:
    """The process-wide sandbox (today's date, the shops above); built on first use."""
    global _state
    if _state is None:
        from stpulse.adapters.sandbox.ozon import SandboxConfig, SandboxState, ShopConfig
        from stpulse.domain.kernel.moscow import moscow_today

        shops = [ShopConfig(client_id=c, api_key=k, seed=s, profile=p) for c, (k, s, p) in EMBEDDED_SHOPS.items()]
        today = moscow_today(dt.datetime.now(dt.UTC))
        _state = SandboxState(SandboxConfig(shops=shops, today=today, origin_cache_size=ORIGIN_CACHE))
    return _state


def sandbox_router(path: str = SANDBOX_PATH) -> Any:
    from stpulse.adapters.sandbox.ozon import ozon_router

    state = embedded_sandbox_state()
    return ozon_router(state.config, path=path, state=state)


def uses_embedded_sandbox(settings: Settings) -> bool:
    local = settings.ozon_seller_url.rstrip("/") == settings.base_url.rstrip("/") + SANDBOX_PATH
    return settings.embedded and settings.sandbox_enabled and local


def _in_process_transport() -> httpx.AsyncBaseTransport:
    from litestar import Litestar

    app = Litestar(route_handlers=[sandbox_router()], openapi_config=None)
    return httpx.ASGITransport(app=app)  # type: ignore[arg-type]


def ozon_factory(settings: Settings) -> OzonSellerClientFactory:
    embedded = uses_embedded_sandbox(settings)
    http = OzonHttpSettings(
        base_url=(settings.base_url.rstrip("/") + SANDBOX_PATH) if embedded else settings.ozon_seller_url,
        requests_per_second=1000.0 if embedded else settings.ozon_requests_per_second,
        burst=20 if embedded else 1, backoff_base=settings.ozon_backoff_base, timeout=settings.ozon_timeout)
    if settings.redis_url and not embedded:  # several workers share each cabinet's allowance through Redis
        from stpulse.adapters.ozon.ratelimit_redis import RedisBuckets

        return OzonSellerClientFactory(http, buckets=RedisBuckets(settings.redis_url))
    return OzonSellerClientFactory(http, transport=_in_process_transport() if embedded else None)
