"""Delivery of HTTP notifications to the shop's webhook URL, with a log tests can read and replay."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import httpx

from stpulse.adapters.sandbox.yookassa.state import WebhookDelivery, YooKassaState

WEBHOOK_TIMEOUT_S = 10.0


async def deliver(state: YooKassaState, notifications: Iterable[dict[str, Any]]) -> list[WebhookDelivery]:
    sent = []
    for body in notifications:
        delivery = WebhookDelivery(body=body, url=state.webhook_url)
        with state.lock:
            state.webhooks.append(delivery)
        await _post(delivery)
        sent.append(delivery)
    return sent


async def redeliver(delivery: WebhookDelivery, url: str | None) -> WebhookDelivery:
    again = WebhookDelivery(body=delivery.body, url=url)
    await _post(again)
    return again


async def _post(delivery: WebhookDelivery) -> None:
    if not delivery.url:
        return
    try:
        async with httpx.AsyncClient(timeout=WEBHOOK_TIMEOUT_S) as client:
            answer = await client.post(delivery.url, json=delivery.body)
        delivery.status_code, delivery.error = answer.status_code, None
    except httpx.HTTPError as exc:
        delivery.error = f"{type(exc).__name__}: {exc}"
