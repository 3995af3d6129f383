"""Request parsing with Ozon-shaped 400s: msgspec decoding, dates, limits."""

from __future__ import annotations

import datetime as dt
from typing import TypeVar

import msgspec
from litestar import Request

from stpulse.adapters.sandbox.ozon.http.errors import bad_request

T = TypeVar("T")


async def parse(request: Request, kind: type[T]) -> T:
    body = await request.body()
    try:
        return msgspec.json.decode(body or b"{}", type=kind)
    except (msgspec.ValidationError, msgspec.DecodeError) as exc:
        raise bad_request(f"invalid request: {exc}") from None


def parse_date(value: str, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value[:10])
    except (ValueError, TypeError):
        raise bad_request(f"{field}: invalid date {value!r}") from None


def parse_moment(value: str, field: str) -> dt.datetime:
    """An RFC 3339 moment; a bare date means its midnight UTC; naive means UTC."""
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except (ValueError, TypeError, AttributeError):
        raise bad_request(f"{field}: invalid date-time {value!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def check_limit(limit: int, maximum: int, field: str = "limit", minimum: int = 1) -> int:
    if not minimum <= limit <= maximum:
        raise bad_request(f"{field} must be between {minimum} and {maximum}, got {limit}")
    return limit


def check_span(date_from: dt.date, date_to: dt.date, max_days: int, what: str = "period") -> None:
    if date_to < date_from:
        raise bad_request(f"{what}: date_to is before date_from")
    if (date_to - date_from).days > max_days:
        raise bad_request(f"{what} is too long: max {max_days} days")
