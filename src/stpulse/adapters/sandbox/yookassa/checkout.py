"""The checkout page a buyer is redirected to, and the test-control API (`/yookassa/__control/...`)."""

from __future__ import annotations

import html
from typing import Any

from litestar import MediaType, Request, Response, Router, get, post
from litestar.response import Redirect

from stpulse.adapters.sandbox.yookassa import operations as ops
from stpulse.adapters.sandbox.yookassa.api import error_response
from stpulse.adapters.sandbox.yookassa.errors import YooKassaApiError, invalid
from stpulse.adapters.sandbox.yookassa.state import SandboxPayment, YooKassaState
from stpulse.adapters.sandbox.yookassa.validation import format_amount
from stpulse.adapters.sandbox.yookassa.webhooks import deliver, redeliver

_PAGE = """<!doctype html>
<html lang="ru"><head><meta charset="utf-8"><title>ЮKassa (песочница) — оплата</title>
<style>body{{font-family:sans-serif;max-width:32rem;margin:3rem auto}}button{{font-size:1.1rem;margin:.3rem}}</style>
</head><body>
<h1>Оплата заказа</h1>
<p class="sandbox">Тестовая платёжная страница ЮKassa (песочница STPulse). Деньги не списываются.</p>
<p>Магазин ЮKassa: <span data-id>{shop}</span></p><p>Описание: {description}</p>
<p>Сумма: <strong id="amount">{amount} ₽</strong></p>
<p>Карта: 5555 55•• •••• 4444</p>
<p>Статус: <span id="status" data-status="{status_code}">{status}</span></p>
{actions}
</body></html>"""

STATUS_TITLES = {"pending": "ожидает оплаты", "waiting_for_capture": "ожидает подтверждения",
                 "succeeded": "оплачен", "canceled": "отменён"}

_ACTIONS = """<form method="post" action="{base}/pay"><button type="submit" id="pay">Оплатить</button></form>
<form method="post" action="{base}/cancel"><button type="submit" id="cancel">Отменить</button></form>"""


def render_checkout(payment: SandboxPayment) -> str:
    base = payment.id  # relative to the page, so the sandbox works mounted under any prefix (e.g. /sandbox)
    pending = payment.status == "pending"
    back = f'<p><a href="{html.escape(payment.return_url or "/")}">Вернуться в магазин</a></p>'
    return _PAGE.format(
        shop=html.escape(payment.shop_id),
        description=html.escape(payment.description or "—"),
        amount=format_amount(payment.amount)["value"].replace(".", ","),
        status=html.escape(STATUS_TITLES.get(payment.status, payment.status)),
        status_code=html.escape(payment.status),
        actions=_ACTIONS.format(base=base) if pending else back,
    )


async def _finish(
    state: YooKassaState, payment: SandboxPayment, notifications: list[dict[str, Any]]
) -> Response:
    await deliver(state, notifications)
    return Redirect(payment.return_url or f"/yookassa/checkout/{payment.id}", status_code=303)


def _run(state: YooKassaState, payment_id: str, action) -> tuple[SandboxPayment, list[dict[str, Any]]]:
    with state.lock:
        payment = state.payment(payment_id)
        return payment, action(payment)


def _confirm(state: YooKassaState):
    return lambda payment: ops.confirm(state, payment)


def yookassa_checkout_router(state: YooKassaState) -> Router:
    @get("/checkout/{payment_id:str}", media_type=MediaType.HTML)
    async def checkout_page(payment_id: str) -> str:
        with state.lock:
            return render_checkout(state.payment(payment_id))

    @post("/checkout/{payment_id:str}/pay", status_code=303)
    async def pay(payment_id: str) -> Response:
        return await _finish(state, *_run(state, payment_id, _confirm(state)))

    @post("/checkout/{payment_id:str}/cancel", status_code=303)
    async def give_up(payment_id: str) -> Response:
        return await _finish(state, *_run(state, payment_id, ops.decline))

    return Router(
        path="/yookassa",
        route_handlers=[checkout_page, pay, give_up, *_control_handlers(state)],
        exception_handlers={YooKassaApiError: error_response},
        include_in_schema=False,
    )


async def _json(request: Request) -> dict[str, Any]:
    raw = await request.body()
    if not raw.strip():
        return {}
    body = await request.json()
    if not isinstance(body, dict):
        raise invalid("Body must be a JSON object")
    return body


def _control_handlers(state: YooKassaState) -> list:
    @post("/__control/payments/{payment_id:str}/succeed", status_code=200)
    async def succeed(payment_id: str) -> dict[str, Any]:
        payment, notifications = _run(state, payment_id, _confirm(state))
        await deliver(state, notifications)
        return payment.to_json()

    @post("/__control/payments/{payment_id:str}/cancel", status_code=200)
    async def decline(payment_id: str) -> dict[str, Any]:
        payment, notifications = _run(state, payment_id, ops.decline)
        await deliver(state, notifications)
        return payment.to_json()

    @get("/__control/payments")
    async def list_payments() -> list[dict[str, Any]]:
        with state.lock:
            return [p.to_json() for p in state.payments.values()]

    @post("/__control/payment_methods/{method_id:str}/revoke", status_code=200)
    async def revoke(method_id: str) -> dict[str, Any]:
        with state.lock:
            ops.revoke_method(state, method_id)
        return {"id": method_id, "active": False}

    @post("/__control/webhook", status_code=200)
    async def set_webhook(request: Request) -> dict[str, Any]:
        state.webhook_url = (await _json(request)).get("url")
        return {"url": state.webhook_url}

    @get("/__control/webhooks")
    async def list_webhooks() -> list[dict[str, Any]]:
        return [_delivery_json(i, d) for i, d in enumerate(state.webhooks)]

    @post("/__control/webhooks/replay", status_code=200)
    async def replay(request: Request) -> list[dict[str, Any]]:
        """Resend: `{"index": n}` one delivery, `{"object_id": id}` all about an object, `{}` the failed ones."""
        picked = _pick(state, await _json(request))
        return [_delivery_json(i, await redeliver(d, state.webhook_url)) for i, d in picked]

    @post("/__control/reset", status_code=200)
    async def reset() -> dict[str, bool]:
        state.reset()
        return {"reset": True}

    return [succeed, decline, list_payments, revoke, set_webhook, list_webhooks, replay, reset]


def _pick(state: YooKassaState, body: dict[str, Any]) -> list[tuple[int, Any]]:
    indexed = list(enumerate(state.webhooks))
    if "index" in body:
        index = body["index"]
        if not isinstance(index, int) or not 0 <= index < len(indexed):
            raise invalid("No webhook delivery with this index", "index")
        return [indexed[index]]
    if "object_id" in body:
        return [(i, d) for i, d in indexed if d.body["object"].get("id") == body["object_id"]]
    return [(i, d) for i, d in indexed if d.status_code is None or not 200 <= d.status_code < 300]


def _delivery_json(index: int, delivery) -> dict[str, Any]:
    return {
        "index": index,
        "url": delivery.url,
        "event": delivery.body["event"],
        "body": delivery.body,
        "status_code": delivery.status_code,
        "error": delivery.error,
    }
