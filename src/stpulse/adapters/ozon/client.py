"""HTTP transport to the Ozon Seller API: auth headers, rate limit, retries, error mapping, decoding.

The base URL is a setting, so the same code talks to Ozon, the built-in sandbox or a recorded-response
server. Client-Id and Api-Key are set per request (never on the shared `httpx.AsyncClient`), so a
download from a foreign host (a report file link) never carries the key. Nothing logged or raised here
contains the key: log lines carry the path, status and attempt; error messages are fixed Russian texts.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import random
from collections import Counter
from collections.abc import Callable
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar

import httpx
import msgspec

from stpulse.adapters.ozon.ratelimit import Bucket, BucketSource, Sleep, shared_bucket
from stpulse.application.ozon.ports import (
    OzonAccessDenied,
    OzonBadRequest,
    OzonCredentials,
    OzonError,
    OzonKeyInvalid,
    OzonUnavailable,
    OzonUnexpectedAnswer,
)

log = logging.getLogger(__name__)
T = TypeVar("T")

RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
_GRPC_UNAUTHENTICATED = 16
_GRPC_PERMISSION_DENIED = 7
_BAD_KEY_WORDS = ("invalid", "deactivated", "expired", "not found", "недейств", "неверн", "не найден")


class OzonHttpSettings(msgspec.Struct, frozen=True, kw_only=True):
    base_url: str = "https://api-seller.ozon.ru"
    requests_per_second: float = 10.0  # per Client-Id, shared by all tasks of the process
    burst: int = 1
    max_attempts: int = 5  # first try included
    backoff_base: float = 0.5  # seconds; doubled each attempt, with jitter
    backoff_max: float = 30.0
    retry_after_max: float = 120.0  # never wait longer than this on a Retry-After
    timeout: float = 60.0
    connect_timeout: float = 10.0


def build_http_client(settings: OzonHttpSettings, transport: httpx.AsyncBaseTransport | None = None):
    """One pooled client per process (or per factory); credentials are added per request."""
    timeout = httpx.Timeout(settings.timeout, connect=settings.connect_timeout)
    return httpx.AsyncClient(base_url=settings.base_url, timeout=timeout, transport=transport)


class _ErrorBody(msgspec.Struct):
    code: int | None = None
    message: str = ""


class OzonHttp:
    """Sends one logical request to Ozon for one cabinet, retrying what is worth retrying."""

    def __init__(
        self, client: httpx.AsyncClient, settings: OzonHttpSettings, credentials: OzonCredentials, *,
        sleep: Sleep = asyncio.sleep, jitter: Callable[[], float] = random.random,
        bucket: Bucket | None = None, buckets: BucketSource = shared_bucket,
    ) -> None:
        self._client = client
        self._settings = settings
        self._credentials = credentials
        self._sleep = sleep
        self._jitter = jitter
        self._buckets = buckets
        self.bucket = bucket or self.bucket_for("seller", settings.requests_per_second, settings.burst)
        self.requests_sent = 0  # every HTTP attempt, retries included (tests and metrics)
        self.requests_by_path: Counter[str] = Counter()  # the same, by API path

    def bucket_for(self, name: str, rate: float, burst: int = 1) -> Bucket:
        """This cabinet's budget `name`, shared with every task (and, through Redis, every process) using it."""
        return self._buckets(self._credentials.client_id, name, rate, burst)

    @property
    def client_id(self) -> str:
        return self._credentials.client_id

    def __repr__(self) -> str:
        return f"OzonHttp({self._credentials!r}, base_url={self._settings.base_url!r})"

    async def post(self, path: str, body: Any, *, bucket: Bucket | None = None) -> bytes:
        """POST `body` as JSON; return the raw answer of a 2xx or raise an `OzonError`."""
        content = msgspec.json.encode(body if body is not None else {})
        headers = {
            "Client-Id": self._credentials.client_id,
            "Api-Key": self._credentials.api_key,
            "Content-Type": "application/json",
        }
        send = lambda: self._client.post(path, content=content, headers=headers)  # noqa: E731
        response = await self._send(send, path, bucket or self.bucket)
        return response.content

    async def post_as(self, path: str, body: Any, kind: type[T], *, bucket: Bucket | None = None) -> T:
        return decode(await self.post(path, body, bucket=bucket), kind, path)

    async def sleep(self, seconds: float) -> None:
        """The injectable sleep, for callers that poll (report status)."""
        await self._sleep(seconds)

    async def download(self, url: str) -> bytes:
        """GET a file link Ozon gave us (no credentials are sent: the host is not the API)."""
        send = lambda: self._client.get(url)  # noqa: E731
        response = await self._send(send, "report-file", None)
        return response.content

    async def _send(self, send: Callable[[], Any], path: str, bucket: Bucket | None) -> httpx.Response:
        attempts = self._settings.max_attempts
        for attempt in range(1, attempts + 1):
            if bucket is not None:
                await bucket.acquire()
            self.requests_sent += 1
            self.requests_by_path[path] += 1
            try:
                response: httpx.Response = await send()
            except httpx.TransportError as exc:  # timeouts, refused/reset connections, protocol errors
                self._log_retry(path, attempt, type(exc).__name__)
                if attempt == attempts:
                    raise OzonUnavailable(path=path) from None  # the cause holds the request headers
                await self._sleep(self._backoff(attempt))
                continue
            if response.status_code in RETRY_STATUSES and attempt < attempts:
                self._log_retry(path, attempt, response.status_code)
                await self._sleep(self._retry_delay(attempt, response.headers.get("Retry-After")))
                continue
            if response.is_success:
                return response
            raise self._error(response, path)
        raise AssertionError("unreachable")  # pragma: no cover

    def _backoff(self, attempt: int) -> float:
        """Exponential with equal jitter: half the step for sure, the other half at random."""
        step = min(self._settings.backoff_max, self._settings.backoff_base * 2 ** (attempt - 1))
        return step / 2 + self._jitter() * step / 2

    def _retry_delay(self, attempt: int, retry_after: str | None) -> float:
        seconds = parse_retry_after(retry_after)
        if seconds is None:
            return self._backoff(attempt)
        return min(self._settings.retry_after_max, seconds)

    def _log_retry(self, path: str, attempt: int, reason: object) -> None:
        log.warning(
            "ozon request retry: path=%s client_id=%s attempt=%d/%d reason=%s",
            path, self._credentials.client_id, attempt, self._settings.max_attempts, reason,
        )

    def _error(self, response: httpx.Response, path: str) -> OzonError:
        code, message = parse_error_body(response.content)
        message = message.replace(self._credentials.api_key, "***") if self._credentials.api_key else message
        error = error_for(response.status_code, code, message, path)
        log.warning(
            "ozon request failed: path=%s client_id=%s status=%d ozon_code=%s error=%s",
            path, self._credentials.client_id, response.status_code, code, type(error).__name__,
        )
        return error


def error_for(status: int, code: int | None, message: str, path: str) -> OzonError:
    """Map an HTTP status and Ozon's `{code, message}` body to the application's errors."""
    if status == 401 or code == _GRPC_UNAUTHENTICATED:
        return OzonKeyInvalid(path=path, http_status=status)
    if status == 403 or code == _GRPC_PERMISSION_DENIED:
        if _about_bad_key(message):
            return OzonKeyInvalid(path=path, http_status=status)
        return OzonAccessDenied(path=path, http_status=status)
    if status in RETRY_STATUSES or status >= 500:
        return OzonUnavailable(path=path, http_status=status)
    return OzonBadRequest(message[:300], path=path, http_status=status)


def _about_bad_key(message: str) -> bool:
    text = message.lower()
    about_key = any(word in text for word in ("api-key", "api key", "apikey", "client-id", "ключ"))
    return about_key and any(word in text for word in _BAD_KEY_WORDS)


def parse_error_body(content: bytes) -> tuple[int | None, str]:
    try:
        body = msgspec.json.decode(content, type=_ErrorBody)
    except (msgspec.DecodeError, msgspec.ValidationError):
        return None, ""
    return body.code, body.message


def parse_retry_after(value: str | None) -> float | None:
    """Retry-After is either seconds or an HTTP date; None when absent or unreadable."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())


def decode(content: bytes, kind: type[T], path: str) -> T:
    try:
        return msgspec.json.decode(content, type=kind, strict=False)
    except (msgspec.DecodeError, msgspec.ValidationError) as exc:
        log.error("ozon answer not understood: path=%s error=%s", path, exc)
        raise OzonUnexpectedAnswer(path=path) from None
