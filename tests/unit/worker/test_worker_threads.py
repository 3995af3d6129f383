"""`stpulse worker` runs 8 jobs at once by default: a sync spends most of its time waiting on Ozon's limit for its
cabinet, so with 4 two workers could not sync 1,000 shops an hour in under 600 s (bench/scale.py)."""

from __future__ import annotations

from typing import Any

import pytest
from click.testing import CliRunner

from stpulse.entrypoints.cli.app import main


@pytest.mark.parametrize(("args", "threads"), [([], 8), (["--threads", "3"], 3)])
def test_the_worker_runs_eight_jobs_at_once_unless_told(monkeypatch: pytest.MonkeyPatch, tmp_path: Any,
                                                        args: list[str], threads: int) -> None:
    started: list[int] = []
    monkeypatch.setattr("stpulse.entrypoints.logging.configure_logging", lambda *a, **k: None)
    monkeypatch.setattr("stpulse.entrypoints.worker.runner.run_forever",
                        lambda settings, count: started.append(count))
    result = CliRunner().invoke(main, ["worker", *args], env={"STPULSE_DATA_DIR": str(tmp_path)})
    assert result.exit_code == 0, result.output
    assert started == [threads]
