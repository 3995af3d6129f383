"""Which failures of a job are worth retrying, and how.

Transient: the outside world did not answer now but may a little later — network errors and timeouts, Ozon 429/5xx
(the adapter has already retried those itself and gives up with `OzonUnavailable`), the payment gateway being
unavailable, a lost or refused database connection. Such a job is retried with exponential backoff, a bounded
number of times; every actor is idempotent, so a retry repeats no effect.

Permanent: everything else — domain errors (an invalid or revoked key, not found, a refused payment, bad input),
an answer Ozon sent that cannot be parsed, and bugs. Running the same message again would fail the same way, so it
runs once and goes to the dead letters with its traceback in the log."""

from __future__ import annotations

from typing import Any

import httpx
import msgspec
import redis.exceptions
import sqlalchemy.exc

from stpulse.application.billing.ports import PaymentGatewayUnavailable
from stpulse.application.ozon.ports import OzonUnavailable, OzonUnexpectedAnswer
from stpulse.entrypoints.settings import Settings

TRANSIENT: tuple[type[BaseException], ...] = (
    OzonUnavailable, PaymentGatewayUnavailable, httpx.TransportError, ConnectionError, TimeoutError,
    sqlalchemy.exc.OperationalError, sqlalchemy.exc.InterfaceError, sqlalchemy.exc.TimeoutError,
    sqlalchemy.exc.DisconnectionError, redis.exceptions.ConnectionError, redis.exceptions.TimeoutError,
)
NEVER_TRANSIENT: tuple[type[BaseException], ...] = (OzonUnexpectedAnswer,)


def is_transient(exc: BaseException) -> bool:
    if isinstance(exc, NEVER_TRANSIENT):
        return False
    if isinstance(exc, sqlalchemy.exc.DBAPIError) and exc.connection_invalidated:
        return True
    return isinstance(exc, TRANSIENT)


class RetryPolicy(msgspec.Struct, frozen=True, kw_only=True):
    max_retries: int = 5
    min_backoff_ms: int = 5_000
    max_backoff_ms: int = 300_000

    @classmethod
    def from_settings(cls, settings: Settings) -> RetryPolicy:
        return cls(max_retries=settings.worker_max_retries, min_backoff_ms=settings.worker_min_backoff_ms,
                   max_backoff_ms=settings.worker_max_backoff_ms)

    def retry_when(self, retries: int, exc: BaseException) -> bool:
        """Dramatiq's predicate: `retries` is how many retries were made before this failure."""
        return retries < self.max_retries and is_transient(exc)

    def options(self) -> dict[str, Any]:
        """Actor options for dramatiq's Retries middleware (`retry_when` takes precedence over `max_retries`,
        which is given too so that the bound reads the same in both places)."""
        return {"max_retries": self.max_retries, "min_backoff": self.min_backoff_ms,
                "max_backoff": self.max_backoff_ms, "retry_when": self.retry_when}
