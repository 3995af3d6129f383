"""Small, strict-where-it-matters conversions from Ozon's wire values to our types."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import TypeVar
from zoneinfo import ZoneInfo

import msgspec

from stpulse.application.ozon.ports import OzonUnexpectedAnswer
from stpulse.domain.kernel.money import kopecks_from_decimal

T = TypeVar("T")
ZERO = Decimal(0)
MOSCOW = ZoneInfo("Europe/Moscow")


def amount(value: str | Decimal | int | None, path: str = "") -> Decimal:
    """An Ozon amount as an exact Decimal; absent or empty is zero, garbage stops the sync loudly."""
    if value is None:
        return ZERO
    if isinstance(value, Decimal):
        return value
    text = str(value).strip().replace(",", ".").replace("\u00a0", "").replace(" ", "")
    if not text:
        return ZERO
    try:
        parsed = Decimal(text)
    except InvalidOperation:
        raise OzonUnexpectedAnswer(path=path) from None
    if not parsed.is_finite():
        raise OzonUnexpectedAnswer(path=path)
    return parsed


def kop(value: str | Decimal | int | None, path: str = "") -> int:
    """Round once, half-up, to whole kopecks."""
    return kopecks_from_decimal(amount(value, path))


def ratio(value: Decimal | None) -> Decimal:
    return value if value is not None else ZERO


def moment(value: str | None) -> dt.datetime | None:
    """An RFC 3339 timestamp as an aware datetime (UTC when Ozon omits the zone); None when unusable."""
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def day(value: str | None, fallback: dt.date) -> dt.date:
    """An Ozon date or time as a Moscow date: a bare date is already Ozon's (Moscow) day; a time is converted
    from its zone (UTC when Ozon omits it), so 21:30Z on the 30th is the 1st in Moscow. Unusable: `fallback`."""
    text = (value or "").strip()
    if len(text) == 10:
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return fallback
    stamp = moment(text)
    return stamp.astimezone(MOSCOW).date() if stamp is not None else fallback


_DECODERS: dict[type, msgspec.json.Decoder] = {}


def decode_raw(raw: msgspec.Raw | bytes, kind: type[T], path: str) -> T:
    """Decode one record; strict=False accepts ids Ozon sends as strings ("sku": "1100526203"), and a JSON number
    in an untyped field (an amount Ozon documents as a string) becomes an exact Decimal of its digits, never a float."""
    decoder = _DECODERS.get(kind)
    if decoder is None:
        decoder = _DECODERS[kind] = msgspec.json.Decoder(kind, strict=False, float_hook=Decimal)
    try:
        return decoder.decode(raw)  # type: ignore[no-any-return]
    except (msgspec.DecodeError, msgspec.ValidationError):
        raise OzonUnexpectedAnswer(path=path) from None


def present(raw: msgspec.Raw) -> msgspec.Raw | None:
    """A `msgspec.Raw` field that was absent or null is None (Raw cannot be declared optional)."""
    return raw if bytes(raw) not in (b"", b"null") else None


def rfc3339(moment_: dt.datetime) -> str:
    """Ozon wants UTC with a 'Z'; naive datetimes are taken as UTC."""
    aware = moment_ if moment_.tzinfo else moment_.replace(tzinfo=dt.UTC)
    return aware.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
