"""Issue 19, item 4: no secret reaches a log line — one-time tokens in paths are redacted, SQL parameters of a
failed statement are hidden."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from stpulse.adapters.db.uow import Database
from stpulse.entrypoints.logging import redact_secrets
from stpulse.entrypoints.web import middleware

TOKEN = "Zx9-secretTOKENvalue_1234567890abcdefghijkl"


class Captured:
    """Stands in for the module's structlog logger (structlog caches its loggers, so capture_logs cannot)."""

    def __init__(self) -> None:
        self.events: list[dict] = []

    def info(self, event: str, **kw: object) -> None:
        self.events.append({"event": event, **kw})

    exception = warning = error = info


async def test_token_paths_are_redacted_in_the_access_log(client, monkeypatch):
    captured = Captured()
    monkeypatch.setattr(middleware, "log", captured)
    for path in (f"/auth/confirm/{TOKEN}", f"/auth/reset/{TOKEN}", f"/invite/{TOKEN}"):
        await client.get(path)
    await client.post(f"/invite/{TOKEN}/accept")
    requests = [e for e in captured.events if e["event"] == "http.request"]
    assert len(requests) == 4
    assert TOKEN not in json.dumps(captured.events)
    paths = {e["path"] for e in requests}
    assert {"/auth/confirm/***", "/auth/reset/***", "/invite/***", "/invite/***/accept"} <= paths


async def test_a_failed_statement_does_not_show_its_parameters(pg_url):
    db = Database(pg_url)
    try:
        async with db.uow() as uow:
            with pytest.raises(Exception) as caught:
                await uow.session.execute(text("SELECT CAST(:p AS text), 1 / 0"), {"p": "$argon2id$v=19$secret-hash"})
        assert "secret-hash" not in str(caught.value)
    finally:
        await db.dispose()


def test_the_log_pipeline_redacts_token_paths_in_any_field():
    event = redact_secrets(None, "info", {"event": "web.unhandled_error", "path": f"/auth/reset/{TOKEN}",
                                          "detail": f"GET /auth/login?next=/invite/{TOKEN}/accept"})
    assert TOKEN not in json.dumps(event)
    assert event["path"] == "/auth/reset/***"
