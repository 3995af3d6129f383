"""Ozon's error shape (`rpcStatus`: code, message, details) and the exception that produces it."""

from __future__ import annotations

from litestar import Request, Response

# gRPC status codes Ozon puts in `code`
INVALID_ARGUMENT = 3
NOT_FOUND = 5
PERMISSION_DENIED = 7
FAILED_PRECONDITION = 9
RESOURCE_EXHAUSTED = 8
INTERNAL = 13
UNAVAILABLE = 14
UNAUTHENTICATED = 16

MSG_MISSING_AUTH = "Client-Id and Api-Key headers are required"
MSG_INVALID_KEY = "Invalid Api-Key, please check the key and try again"
MSG_DEACTIVATED = "Api-key is deactivated, use another one or generate a new one"
MSG_RATE_LIMIT = "You have reached request rate limit per second"
MSG_INTERNAL = "Internal error"
MSG_CIRCLE_OPEN = "Circle is open"
# What Ozon answers (400, code 9) for a method it has switched off, e.g. /v3/finance/transaction/list since
# September 2026 and /v1/warehouse/list: sellers report exactly this body.
MSG_OBSOLETE = "obsolete method cannot be used"


class OzonError(Exception):
    def __init__(self, status: int, code: int, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def bad_request(message: str) -> OzonError:
    return OzonError(400, INVALID_ARGUMENT, message)


def error_response(status: int, code: int, message: str) -> Response:
    return Response({"code": code, "message": message, "details": []}, status_code=status)


def handle_ozon_error(_: Request, exc: OzonError) -> Response:
    return error_response(exc.status, exc.code, exc.message)


def handle_unexpected(_: Request, exc: Exception) -> Response:
    return error_response(500, INTERNAL, f"{MSG_INTERNAL}: {type(exc).__name__}")
