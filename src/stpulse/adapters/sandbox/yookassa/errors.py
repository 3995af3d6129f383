"""YooKassa's error answer: `{"type": "error", "id", "code", "description", "parameter"}`."""

from __future__ import annotations

import uuid

_STATUS_BY_CODE = {
    "invalid_request": 400,
    "invalid_credentials": 401,
    "forbidden": 403,
    "not_found": 404,
    "too_many_requests": 429,
    "internal_server_error": 500,
}


class YooKassaApiError(Exception):
    def __init__(self, code: str, description: str, parameter: str | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameter = parameter
        self.status_code = _STATUS_BY_CODE.get(code, 400)

    def body(self) -> dict[str, str]:
        answer = {
            "type": "error",
            "id": str(uuid.uuid4()),
            "code": self.code,
            "description": self.description,
        }
        if self.parameter:
            answer["parameter"] = self.parameter
        return answer


def invalid(description: str, parameter: str | None = None) -> YooKassaApiError:
    return YooKassaApiError("invalid_request", description, parameter)


def not_found(description: str = "Object not found") -> YooKassaApiError:
    return YooKassaApiError("not_found", description)
