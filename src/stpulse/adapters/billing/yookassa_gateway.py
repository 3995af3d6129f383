"""`PaymentGateway` over the official synchronous `yookassa` SDK.

The SDK keeps its credentials in process-global class attributes (`Configuration.configure`), which
would make two gateways (say, the sandbox shop in tests and a real shop) overwrite each other and is
not thread-safe. So this adapter gives each gateway its own `ApiClient` built from constructor
arguments and sends the SDK's own request models through it; the global configuration is never touched.
Calls run in a worker thread (`anyio.to_thread.run_sync`) under a per-request HTTP timeout and an
overall deadline, and SDK/HTTP failures become the billing ports' errors.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any, TypeVar

import anyio
import requests
from yookassa.client import ApiClient
from yookassa.domain.common import HttpVerb, RequestObject, UserAgent
from yookassa.domain.request import PaymentRequest, RefundRequest

from stpulse.adapters.billing import yookassa_mapping as mapping
from stpulse.application.billing.ports import (
    ChargeSavedMethod,
    CreatePayment,
    CreateRefund,
    PaymentGatewayError,
    PaymentGatewayUnavailable,
    PaymentInfo,
    PaymentNotFound,
    RefundInfo,
)

T = TypeVar("T")
DEFAULT_API_URL = "https://api.yookassa.ru/v3"


class _ShopClient(ApiClient):
    """The SDK client with explicit credentials and a real HTTP timeout (the SDK sets none)."""

    def __init__(self, *, api_url: str, shop_id: str, secret_key: str, timeout_s: float) -> None:
        # Deliberately not calling super().__init__(): it reads the process-global Configuration.
        self.configuration = SimpleNamespace(verify=None)
        self.endpoint = api_url.rstrip("/")
        self.shop_id, self.shop_password, self.auth_token = shop_id, secret_key, None
        self.timeout, self.max_attempts = 1800, 3  # the SDK's retry back-off (ms) for 202 answers
        self.user_agent = UserAgent()
        self.http_timeout_s = timeout_s

    def get_session(self) -> requests.Session:
        session = super().get_session()
        session.request = functools.partial(session.request, timeout=self.http_timeout_s)  # type: ignore[method-assign]
        return session

    def request(self, method="", path="", query_params=None, headers=None, body=None) -> dict[str, Any]:
        if isinstance(body, RequestObject):
            try:
                body.validate()
            except (ValueError, TypeError) as exc:
                raise PaymentGatewayError(detail=str(exc)) from None
            body = dict(body)
        try:
            answer = self.execute(body, method, path, query_params, self.prepare_request_headers(headers))
        except requests.HTTPError as exc:  # the SDK's response logging calls raise_for_status()
            if exc.response is None:
                raise PaymentGatewayUnavailable(detail="HTTPError") from None
            raise _error_for(exc.response) from None
        except requests.RequestException as exc:
            raise PaymentGatewayUnavailable(detail=type(exc).__name__) from None
        if answer.status_code != 200:
            raise _error_for(answer)
        return answer.json()


def _error_for(answer: requests.Response) -> PaymentGatewayError:
    try:
        body = answer.json()
        detail = f"{body.get('code')}: {body.get('description')} ({body.get('parameter', '')})"
    except ValueError:
        detail = answer.text[:200]
    status = answer.status_code
    if status == 404:
        return PaymentNotFound(detail=detail)
    if status in (401, 403):
        return PaymentGatewayError("Платёжный сервис не принял ключи магазина. Сообщите в поддержку.", detail)
    if status == 202 or status == 429 or status >= 500:
        return PaymentGatewayUnavailable(detail=detail)
    return PaymentGatewayError(detail=detail)


class YooKassaGateway:
    """Satisfies `stpulse.application.billing.ports.PaymentGateway`."""

    def __init__(
        self,
        *,
        shop_id: str,
        secret_key: str,
        api_url: str = DEFAULT_API_URL,
        timeout_s: float = 15.0,
        deadline_s: float = 30.0,
    ) -> None:
        self._client = _ShopClient(
            api_url=api_url, shop_id=shop_id, secret_key=secret_key, timeout_s=timeout_s
        )
        self._deadline_s = deadline_s

    def __repr__(self) -> str:  # never show the secret key
        return f"YooKassaGateway(shop_id={self._client.shop_id!r}, api_url={self._client.endpoint!r})"

    async def create_payment(self, command: CreatePayment) -> PaymentInfo:
        body = _model(PaymentRequest, mapping.payment_request(command))
        raw = await self._call(HttpVerb.POST, "/payments", body, command.idempotency_key)
        return mapping.payment_info(raw)

    async def charge_saved_method(self, command: ChargeSavedMethod) -> PaymentInfo:
        body = _model(PaymentRequest, mapping.charge_request(command))
        raw = await self._call(HttpVerb.POST, "/payments", body, command.idempotency_key)
        return mapping.payment_info(raw)

    async def get_payment(self, payment_id: str) -> PaymentInfo:
        return mapping.payment_info(await self._call(HttpVerb.GET, f"/payments/{_checked_id(payment_id)}"))

    async def create_refund(self, command: CreateRefund) -> RefundInfo:
        body = _model(RefundRequest, mapping.refund_request(command))
        return mapping.refund_info(await self._call(HttpVerb.POST, "/refunds", body, command.idempotency_key))

    async def _call(
        self, method: str, path: str, body: Any = None, idempotency_key: str | None = None
    ) -> Any:
        headers = {"Idempotence-Key": idempotency_key} if idempotency_key else None
        call: Callable[[], Any] = functools.partial(self._client.request, method, path, None, headers, body)
        try:
            with anyio.fail_after(self._deadline_s):
                return await anyio.to_thread.run_sync(call, abandon_on_cancel=True)
        except TimeoutError:
            raise PaymentGatewayUnavailable(detail="deadline exceeded") from None


def _model(model: Callable[[dict[str, Any]], T], data: dict[str, Any]) -> T:
    """The SDK's request model; its setters reject bad values (e.g. a payment id not 36 long)."""
    try:
        return model(data)
    except (ValueError, TypeError) as exc:
        raise PaymentGatewayError(detail=str(exc)) from None


def _checked_id(payment_id: str) -> str:
    if not payment_id or len(payment_id) > 64 or not all(c.isalnum() or c == "-" for c in payment_id):
        raise PaymentNotFound(detail="malformed payment id")
    return payment_id


def notification_object_id(body: dict[str, Any]) -> tuple[str, str]:
    """`(event, object id)` of a webhook. Do not trust the rest of the body: re-fetch the payment
    with `get_payment` (YooKassa's advice, and the webhook endpoint is unauthenticated)."""
    if body.get("type") != "notification" or not isinstance(body.get("object"), dict):
        raise PaymentGatewayError("Неизвестное уведомление платёжного сервиса")
    event, object_id = body.get("event"), body["object"].get("id")
    if not isinstance(event, str) or not isinstance(object_id, str):
        raise PaymentGatewayError("Неизвестное уведомление платёжного сервиса")
    return event, object_id
