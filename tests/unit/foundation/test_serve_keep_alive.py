"""`stpulse serve` keeps an idle connection well past 5 s: uvicorn's default 5 s drops the connection of a client
that comes back after 5 s of quiet (a page polled every 5 s), and behind a proxy the proxy should close first."""

from __future__ import annotations

from typing import Any

import pytest
from click.testing import CliRunner

from stpulse.entrypoints.cli.app import main


def test_serve_keeps_idle_connections_longer_than_a_proxy_does(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr("uvicorn.run", lambda app, **kwargs: calls.append(kwargs))
    result = CliRunner().invoke(main, ["serve", "--port", "8123"], env={"STPULSE_DATA_DIR": str(tmp_path)})
    assert result.exit_code == 0, result.output
    assert calls[0]["timeout_keep_alive"] > 60
    assert calls[0]["port"] == 8123
