"""Issue 18.13: `stpulse demo` shows its progress; the embedded console log is readable and quiet, JSON in production."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from click.testing import CliRunner

from stpulse.entrypoints.logging import configure_logging
from stpulse.entrypoints.settings import Settings


def test_embedded_console_is_human_readable_and_quiet_production_is_json(capsys, tmp_path: Path):
    assert Settings(_env_file=None).json_logs is False
    assert Settings(_env_file=None, mode="production").json_logs is True
    assert Settings(_env_file=None, log_json=True).json_logs is True
    import structlog

    try:
        configure_logging("INFO", json=Settings(_env_file=None).json_logs)
        structlog.get_logger().info("demo.ready", shops=1)
        line = capsys.readouterr().err.strip()
        assert "demo.ready" in line and not line.startswith("{")
        assert logging.getLogger("httpx").getEffectiveLevel() == logging.WARNING
    finally:
        configure_logging("INFO", json=True)
        logging.getLogger("httpx").setLevel(logging.NOTSET)


def test_demo_shows_a_progress_bar_while_it_syncs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    from stpulse.application.ozon import sync
    from stpulse.entrypoints.cli.app import main

    async def fake_sync(deps, shop_id, kind, *, progress=None, **_):  # type: ignore[no-untyped-def]
        for percent, step in ((10, "Начисления за март"), (70, "Отправления"), (100, "Готово")):
            progress(percent, step)  # type: ignore[misc]

    monkeypatch.setattr(sync, "sync_shop", fake_sync)
    monkeypatch.chdir(tmp_path)
    try:
        result = CliRunner().invoke(main, ["demo"], env={"STPULSE_DATA_DIR": str(tmp_path / "var")})
    finally:
        configure_logging("INFO", json=True)
    assert result.exit_code == 0, result.output
    assert "Начисления за март" in result.output and "Отправления" in result.output
    assert "Демо-кабинет готов" in result.output
