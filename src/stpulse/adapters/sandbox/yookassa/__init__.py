"""A YooKassa imitation good enough for the real `yookassa` SDK.

Mount `yookassa_router(state)` (the API at `/yookassa/v3`) and `yookassa_checkout_router(state)`
(the buyer's checkout page at `/yookassa/checkout/{id}` and the test-control API at `/yookassa/__control`)
in any Litestar app, or run `create_yookassa_app(state)` on its own. Configure the SDK with
`Configuration.configure(shop_id, secret, api_url="http://host:port/yookassa/v3")`.
"""

from litestar import Litestar, Router

from stpulse.adapters.sandbox.yookassa.api import yookassa_router
from stpulse.adapters.sandbox.yookassa.checkout import yookassa_checkout_router
from stpulse.adapters.sandbox.yookassa.errors import YooKassaApiError
from stpulse.adapters.sandbox.yookassa.state import YooKassaState


def yookassa_routers(state: YooKassaState) -> list[Router]:
    return [yookassa_router(state), yookassa_checkout_router(state)]


def create_yookassa_app(state: YooKassaState | None = None) -> Litestar:
    app_state = state or YooKassaState()
    app = Litestar(route_handlers=yookassa_routers(app_state), openapi_config=None)
    app.state.yookassa = app_state
    return app


__all__ = [
    "YooKassaApiError",
    "YooKassaState",
    "create_yookassa_app",
    "yookassa_checkout_router",
    "yookassa_router",
    "yookassa_routers",
]
