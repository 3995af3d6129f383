"""Per-request context for logs (request id, user id), security headers on every answer (HSTS in production), the
body limit of the route (large only for handlers marked `opt={"upload": True}`), and the refusal of NUL characters
in a request's path, query and form body (PostgreSQL text cannot hold them: they would end as a 500)."""

from __future__ import annotations

import time
import uuid

import structlog
from litestar.datastructures import MutableScopeHeaders
from litestar.exceptions import HTTPException
from litestar.types import ASGIApp, Message, Receive, ReceiveMessage, Scope, Send

from stpulse.domain.kernel.formatting import file_size
from stpulse.entrypoints.logging import redact_path

log = structlog.get_logger()

SECURITY_HEADERS = {
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "content-security-policy": "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                               "script-src 'self'; frame-ancestors 'none'; form-action 'self'",
}


class RequestRefused(HTTPException):
    """A request no handler should see; the message is shown to the user as it is."""


class BadInput(RequestRefused):
    status_code = 400


class TooLarge(RequestRefused):
    status_code = 413


HSTS = "max-age=31536000; includeSubDomains"


NUL_MESSAGE = "В запросе недопустимый символ (нулевой байт). Проверьте введённые данные и отправьте снова."


def _has_nul(data: bytes, escaped: bytes = b"%00") -> bool:
    """A raw NUL, or its escape in the body's encoding (%00 in a URL or a form, \\u0000 in JSON)."""
    return b"\x00" in data or escaped in data


def _refuse_nul(scope: Scope) -> None:
    if "\x00" in scope["path"] or _has_nul(scope.get("raw_path") or b"") or _has_nul(scope.get("query_string", b"")):
        raise BadInput(detail=NUL_MESSAGE)


def _too_large(limit: int, file_max: int | None) -> TooLarge:
    """Upload routes name the file limit the seller knows; other routes the request limit."""
    if file_max is not None:
        return TooLarge(detail=f"Файл больше допустимого размера {file_size(file_max)}. Выберите файл поменьше.")
    return TooLarge(detail=f"Запрос слишком велик: не больше {file_size(limit)}. Файлы загружайте через форму "
                           "загрузки.")


def _scanning(scope: Scope, receive: Receive, limit: int, file_max: int | None) -> Receive:
    """The body is counted against the route's limit and a form or JSON body is checked for NUL characters as the
    handler reads it, chunk by chunk, without buffering it (multipart bodies carry binary files)."""
    headers = dict(scope.get("headers", []))
    declared = headers.get(b"content-length", b"")
    if declared.isdigit() and int(declared) > limit:
        raise _too_large(limit, file_max)
    content_type = headers.get(b"content-type", b"")
    escaped = (b"%00" if content_type.startswith(b"application/x-www-form-urlencoded") else
               b"\\u0000" if content_type.startswith(b"application/json") else None)
    tail, seen = b"", 0

    async def wrapped() -> ReceiveMessage:
        nonlocal tail, seen
        message = await receive()
        body = message.get("body", b"") if message["type"] == "http.request" else b""
        seen += len(body)
        if seen > limit:
            raise _too_large(limit, file_max)
        if escaped and body and _has_nul(tail + body, escaped):
            raise BadInput(detail=NUL_MESSAGE)
        tail = (tail + body)[-5:]
        return message

    return wrapped


def _is_upload(scope: Scope) -> bool:
    handler = scope.get("route_handler")
    return handler is not None and bool(handler.opt.get("upload"))


def request_context_middleware(app: ASGIApp, hsts: bool = False, body_max: int = 1 << 20,
                               upload_max: int = 21 << 20, file_max: int = 10 << 20) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        request_id = uuid.uuid4().hex[:16]
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id)
        started, status = time.perf_counter(), 500

        async def send_wrapper(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = MutableScopeHeaders.from_message(message)
                headers["x-request-id"] = request_id
                for key, value in SECURITY_HEADERS.items():
                    headers.setdefault(key, value)
                if hsts:
                    headers.setdefault("strict-transport-security", HSTS)
            await send(message)

        try:
            _refuse_nul(scope)
            upload = _is_upload(scope)
            scanned = _scanning(scope, receive, upload_max if upload else body_max, file_max if upload else None)
            await app(scope, scanned, send_wrapper)
        except Exception as exc:  # answered by the outer exception handler: log the status it will answer with
            status = exc.status_code if isinstance(exc, HTTPException) else 500
            raise
        finally:
            visitor = scope.get("state", {}).get("visitor")
            log.info("http.request", method=scope.get("method"), path=redact_path(scope["path"]), status=status,
                     ms=round((time.perf_counter() - started) * 1000, 1),
                     user_id=str(visitor.user.id) if visitor else None)

    return middleware
