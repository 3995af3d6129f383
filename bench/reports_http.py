"""The reports bench's server side: web processes under uvicorn over TCP, and concurrent clients.

`WebServer` runs `uvicorn stpulse.entrypoints.web.asgi:app --workers 2` on a free port with the bench's settings in
the environment (PostgreSQL, Redis for the shared report store and the broker, no embedded worker); `restart` gives
processes that have read nothing yet. `concurrent` has eight clients each send their requests back to back.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class WebServer:
    def __init__(self, env: dict[str, str], workers: int = 2) -> None:
        self.env, self.workers = {**os.environ, **env}, workers
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None
        self.log = tempfile.TemporaryFile()  # the processes' stderr

    def start(self) -> float:
        """Start the processes and wait until both answer; returns the seconds it took."""
        t0 = time.perf_counter()
        self.proc = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", "uvicorn", "stpulse.entrypoints.web.asgi:app", "--host", "127.0.0.1",
             "--port", str(self.port), "--workers", str(self.workers), "--log-level", "warning", "--no-access-log"],
            env=self.env, stdout=subprocess.DEVNULL, stderr=self.log)  # a file: a pipe nobody reads fills up
        ready, deadline = 0, t0 + 600  # a start takes minutes when the machine's two cores are shared by many jobs
        while ready < 2 * self.workers:  # several answers in a row: every worker has started (they share the port)
            if self.proc.poll() is not None or time.perf_counter() > deadline:
                self.proc.kill()
                self.log.seek(0)
                raise RuntimeError(self.log.read().decode(errors="replace")[-2000:] or "uvicorn died")
            try:
                ready += httpx.get(f"{self.url}/health", timeout=30).status_code in (200, 503)  # 503: no worker
            except httpx.HTTPError:
                ready = 0
                time.sleep(0.1)
        return time.perf_counter() - t0

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(timeout=30)
        self.proc = None

    def restart(self) -> float:
        self.stop()
        return self.start()


async def one(client: httpx.AsyncClient, path: str, token: str) -> float:
    t0 = time.perf_counter()
    resp = await client.get(path, headers={"Authorization": f"Bearer {token}"})
    ms = (time.perf_counter() - t0) * 1000
    if resp.status_code != 200:
        raise RuntimeError(f"{path}: {resp.status_code} {resp.text[:300]}")
    return ms


async def first_request(url: str, path: str, token: str) -> float:
    async with httpx.AsyncClient(base_url=url, timeout=120) as client:
        return await one(client, path, token)


async def concurrent(url: str, path: str, token: str, clients: int = 8, each: int = 25) -> list[float]:
    """`clients` connections at once, each sending `each` requests back to back; every request's time. The clients
    run in a process of their own with a C-parsed HTTP client (`bench/reports_client.py`)."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bench.reports_client", url, path, str(clients), str(each),
        env={**os.environ, "STPULSE_BENCH_TOKEN": token}, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = await proc.communicate()
    if proc.returncode != 0:
        raise RuntimeError(f"{path}: the clients failed: {err.decode(errors='replace')[-2000:]}")
    return [float(t) for t in json.loads(out)]
