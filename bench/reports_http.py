"""The reports bench's server side: web processes under uvicorn over TCP, and concurrent clients.

`WebServer` runs `uvicorn stpulse.entrypoints.web.asgi:app --workers 2` on a free port with the bench's settings in
the environment (PostgreSQL, Redis for the shared report store and the broker, no embedded worker); `restart` gives
processes that have read nothing yet. `concurrent` has eight clients each send their requests back to back.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
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

    def start(self) -> float:
        """Start the processes and wait until both answer; returns the seconds it took."""
        t0 = time.perf_counter()
        self.proc = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", "uvicorn", "stpulse.entrypoints.web.asgi:app", "--host", "127.0.0.1",
             "--port", str(self.port), "--workers", str(self.workers), "--log-level", "warning", "--no-access-log"],
            env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        ready, deadline = 0, t0 + float(os.environ.get("STPULSE_BENCH_START_SECONDS", "120"))
        while ready < 2 * self.workers:  # several answers in a row: every worker has started (they share the port)
            if self.proc.poll() is not None or time.perf_counter() > deadline:
                self.proc.kill()  # a live process never closes its stderr: reading it would wait forever
                raise RuntimeError(self.proc.stderr.read().decode()[-2000:] if self.proc.stderr else "uvicorn died")
            try:
                ready += httpx.get(f"{self.url}/health", timeout=2).status_code in (200, 503)  # 503: no worker
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
    """`clients` connections at once, each sending `each` requests back to back; every request's time."""
    async def client_times() -> list[float]:
        async with httpx.AsyncClient(base_url=url, timeout=120) as client:
            return [await one(client, path, token) for _ in range(each)]

    runs = await asyncio.gather(*(client_times() for _ in range(clients)))
    return [t for run in runs for t in run]
