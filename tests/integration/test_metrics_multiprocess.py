"""Issue 19, item 11 (rest): `stpulse serve --workers 2` sets PROMETHEUS_MULTIPROC_DIR, and /metrics answers the
sum over both web processes, not the one that happens to take the scrape."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from stpulse.entrypoints.cli.app import metrics_dir
from stpulse.entrypoints.settings import Settings

CLI = [sys.executable, "-c", "from stpulse.entrypoints.cli.app import main; main()"]
LOGIN = re.compile(r'^litestar_requests_total\{[^}]*path="/auth/login"[^}]*\} (\S+)$', re.M)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_up(url: str, proc: subprocess.Popen) -> None:  # type: ignore[type-arg]
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            time.sleep(0.3)
    raise AssertionError("stpulse serve did not start")


def test_metrics_dir_is_emptied_of_a_previous_run(tmp_path, monkeypatch):
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)
    (tmp_path / "metrics").mkdir()
    (tmp_path / "metrics" / "counter_123.db").write_bytes(b"old")
    assert metrics_dir(Settings(data_dir=tmp_path)) == tmp_path / "metrics"
    assert not list((tmp_path / "metrics").glob("*.db"))


def test_two_web_processes_counters_are_summed(tmp_path: Path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STPULSE_", "PROMETHEUS_"))}
    env |= {"STPULSE_MODE": "embedded", "STPULSE_DATA_DIR": str(tmp_path), "STPULSE_EMBEDDED_WORKER": "false",
            "STPULSE_BASE_URL": f"http://127.0.0.1:{port}"}
    subprocess.run([*CLI, "migrate"], env=env, check=True, capture_output=True, timeout=120)
    proc = subprocess.Popen([*CLI, "serve", "--workers", "2", "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_up(f"{base}/auth/login", proc)
        files = tmp_path / "metrics"
        sent = 1
        with ThreadPoolExecutor(16) as pool:
            while len({f.name.split("_")[-1] for f in files.glob("counter_*.db")}) < 2 and sent < 600:
                sent += sum(1 for _ in pool.map(lambda _: httpx.get(f"{base}/auth/login", timeout=30), range(40)))
        pids = {f.name.split("_")[-1] for f in files.glob("counter_*.db")}
        assert len(pids) == 2, f"one process took all {sent} requests"
        scraped = httpx.get(f"{base}/metrics", timeout=30).text
        assert sum(float(v) for v in LOGIN.findall(scraped)) == sent  # both processes' counters, summed
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=30)
