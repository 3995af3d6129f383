"""structlog, configured once: JSON lines with request / message / user / shop ids bound as context."""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import MutableMapping
from typing import Any

import structlog

_SECRET_KEYS = {"api_key", "password", "token", "secret", "authorization", "cookie", "client_secret", "card"}


# paths that carry a one-time secret: e-mail confirmation, password reset, team invitation
_TOKEN_PATH = re.compile(r"(/auth/confirm/|/auth/reset/|/invite/)[^/?#&\s\"']+")


def redact_path(path: str) -> str:
    """«/auth/reset/<token>» → «/auth/reset/***» (also inside a query, e.g. ?next=/invite/<token>)."""
    return _TOKEN_PATH.sub(r"\1***", path)


def _drop_secrets(_logger: Any, _name: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    for key in list(event):
        if any(part in key.lower() for part in _SECRET_KEYS):
            event[key] = "***"
    return event


def redact_secrets(logger: Any, name: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """Secret-named fields become ***; token paths are cut out of every text field."""
    event = _drop_secrets(logger, name, event)
    for key, value in event.items():
        if isinstance(value, str) and "/" in value:
            event[key] = redact_path(value)
    return event
QUIET_LOGGERS = ("httpx", "httpcore")  # a line per request to the sandbox would bury everything else


def configure_logging(level: str = "INFO", json: bool = True) -> None:
    """JSON lines for production log collectors; a readable, quiet console for the embedded mode."""
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.NOTSET if json else logging.WARNING)
    renderer = structlog.processors.JSONRenderer() if json else structlog.dev.ConsoleRenderer()
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            redact_secrets,
            structlog.processors.format_exc_info,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level.upper())),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=True,
    )
