"""The YooKassa imitation served by the app itself under `/sandbox` (embedded mode), so `make run` pays offline."""

from __future__ import annotations

from litestar import Router

from stpulse.adapters.sandbox.yookassa import YooKassaState, yookassa_routers
from stpulse.entrypoints.settings import Settings

SANDBOX_PREFIX = "/sandbox"
WEBHOOK_PATH = "/billing/yookassa/webhook"


def yookassa_sandbox_state(settings: Settings) -> YooKassaState:
    base = settings.base_url.rstrip("/")
    return YooKassaState(shops={settings.yookassa_shop_id: settings.yookassa_secret_key},
                         webhook_url=base + WEBHOOK_PATH, public_url=base + SANDBOX_PREFIX)


def yookassa_sandbox_router(state: YooKassaState) -> Router:
    """`/sandbox/yookassa/v3` (the API), `/sandbox/yookassa/checkout/{id}` and `/sandbox/yookassa/__control`."""
    return Router(path=SANDBOX_PREFIX, route_handlers=yookassa_routers(state), include_in_schema=False)


def embedded_sandbox(settings: Settings) -> list[Router]:
    if not (settings.embedded and settings.sandbox_enabled and "/sandbox/yookassa" in settings.yookassa_api_url):
        return []
    return [yookassa_sandbox_router(yookassa_sandbox_state(settings))]


def yookassa_standalone_handlers(settings: Settings, public_base: str) -> list[Router]:
    """For `stpulse sandbox`: the YooKassa API at `/yookassa/v3`, webhooks to the app at `settings.base_url`."""
    state = YooKassaState(shops={settings.yookassa_shop_id: settings.yookassa_secret_key},
                          webhook_url=settings.base_url.rstrip("/") + WEBHOOK_PATH, public_url=public_base)
    return yookassa_routers(state)
