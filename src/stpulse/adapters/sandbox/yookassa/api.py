"""The `/yookassa/v3` API router: what the real `yookassa` SDK talks to."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from typing import Any

from litestar import Request, Response, Router, get, post
from litestar.background_tasks import BackgroundTask

from stpulse.adapters.sandbox.yookassa import operations as ops
from stpulse.adapters.sandbox.yookassa.errors import YooKassaApiError, invalid
from stpulse.adapters.sandbox.yookassa.state import YooKassaState
from stpulse.adapters.sandbox.yookassa.webhooks import deliver

Operation = Callable[[str, dict[str, Any]], tuple[Any, list[dict[str, Any]]]]


def error_response(_: Request, exc: YooKassaApiError) -> Response:
    return Response(exc.body(), status_code=exc.status_code)


def authenticate(state: YooKassaState, header: str | None) -> str:
    """Basic auth `shop_id:secret_key`, as the SDK sends it. Returns the shop id."""
    failed = YooKassaApiError(
        "invalid_credentials", "Authentication by given credentials failed", "Authorization"
    )
    if not header or not header.startswith("Basic "):
        raise failed
    try:
        shop_id, _, secret = base64.b64decode(header[6:]).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        raise failed from None
    if state.shops.get(shop_id) != secret:
        raise failed
    return shop_id


def checkout_base(state: YooKassaState, request: Request) -> str:
    return state.public_url or str(request.base_url).rstrip("/")


def _decode(raw: bytes) -> dict[str, Any]:
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except ValueError:
        raise invalid("Request body is not valid JSON") from None
    if not isinstance(body, dict):
        raise invalid("Request body must be a JSON object")
    return body


async def _mutate(state: YooKassaState, request: Request, operation: Operation) -> Response:
    """A POST: authenticate, honour the Idempotence-Key, run, answer, then send webhooks."""
    shop_id = authenticate(state, request.headers.get("Authorization"))
    key = request.headers.get("Idempotence-Key")
    if not key or len(key) > 64:
        raise invalid("Idempotence-Key header is required (up to 64 characters)", "Idempotence-Key")
    raw = await request.body()
    fingerprint = state.fingerprint(request.method, request.url.path, raw)
    with state.lock:
        cached = state.remembered(shop_id, key, fingerprint)
        if cached is not None:
            return Response(cached[1], status_code=cached[0])
        obj, notifications = operation(shop_id, _decode(raw))
        answer = obj.to_json()
        state.remember(shop_id, key, fingerprint, 200, answer)
    return Response(answer, status_code=200, background=BackgroundTask(deliver, state, notifications))


def yookassa_router(state: YooKassaState) -> Router:
    @post("/payments", status_code=200)
    async def create_payment(request: Request) -> Response:
        base = checkout_base(state, request)
        return await _mutate(state, request, lambda shop, body: ops.create_payment(state, shop, body, base))

    @get("/payments/{payment_id:str}")
    async def get_payment(request: Request, payment_id: str) -> Response:
        shop_id = authenticate(state, request.headers.get("Authorization"))
        with state.lock:
            return Response(state.payment(payment_id, shop_id).to_json())

    @post("/payments/{payment_id:str}/capture", status_code=200)
    async def capture_payment(request: Request, payment_id: str) -> Response:
        def run(shop: str, body: dict[str, Any]):
            payment = state.payment(payment_id, shop)
            return payment, ops.capture(payment, body)

        return await _mutate(state, request, run)

    @post("/payments/{payment_id:str}/cancel", status_code=200)
    async def cancel_payment(request: Request, payment_id: str) -> Response:
        def run(shop: str, _: dict[str, Any]):
            payment = state.payment(payment_id, shop)
            return payment, ops.cancel(payment)

        return await _mutate(state, request, run)

    @post("/refunds", status_code=200)
    async def create_refund(request: Request) -> Response:
        return await _mutate(state, request, lambda shop, body: ops.create_refund(state, shop, body))

    @get("/refunds/{refund_id:str}")
    async def get_refund(request: Request, refund_id: str) -> Response:
        shop_id = authenticate(state, request.headers.get("Authorization"))
        with state.lock:
            return Response(state.refund(refund_id, shop_id).to_json())

    return Router(
        path="/yookassa/v3",
        route_handlers=[
            create_payment,
            get_payment,
            capture_payment,
            cancel_payment,
            create_refund,
            get_refund,
        ],
        exception_handlers={YooKassaApiError: error_response},
        include_in_schema=False,
    )
