"""The reports bench's concurrent clients, in a process of their own: `python -m bench.reports_client URL PATH
CLIENTS EACH` (the API token in STPULSE_BENCH_TOKEN) prints one JSON list of every request's milliseconds.

Each client is a keep-alive connection of geventhttpclient (the C-parsed HTTP client of locust's FastHttpUser) sending
its requests back to back, as a program reading the API would, with `Accept-Encoding: gzip`. The body is read whole
but not decompressed: that is the client's own work on its own machine, while here every client shares the two cores
the server is measured on (httpx in the bench's event loop cost 3–11 ms of CPU a request, a fifth to half of what was
measured). The first answer of each client is checked (status 200, a JSON report, decompressed once, not timed)."""

from __future__ import annotations

import gzip
import json
import os
import sys
import time

import gevent
from geventhttpclient import URL, HTTPClient


def client(url: str, path: str, token: str, each: int) -> list[float]:
    address = URL(url)
    http = HTTPClient(address.host, address.port, connection_timeout=120, network_timeout=120, concurrency=1,
                      block_size=256 * 1024)  # reads of 4 KiB (its default): ~140 recv calls for Юнитка's body
    headers = {"Authorization": f"Bearer {token}", "Accept-Encoding": "gzip"}
    try:
        check = http.get(path, headers=headers)
        body = check.read()
        if check.status_code != 200:
            raise RuntimeError(f"{path}: {check.status_code} {body[:300]!r}")
        if check.get("content-encoding") == "gzip":
            body = gzip.decompress(body)
        if b'"report":' not in body[:200_000]:
            raise RuntimeError(f"{path}: not a report: {body[:300]!r}")
        times = []
        for _ in range(each):
            t0 = time.perf_counter()
            resp = http.get(path, headers=headers)
            resp.read()
            times.append((time.perf_counter() - t0) * 1000)
            if resp.status_code != 200:
                raise RuntimeError(f"{path}: {resp.status_code}")
        return times
    finally:
        http.close()


def main() -> None:
    url, path, clients, each = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    token = os.environ["STPULSE_BENCH_TOKEN"]
    jobs = [gevent.spawn(client, url, path, token, each) for _ in range(clients)]
    gevent.joinall(jobs, raise_error=True)
    print(json.dumps([t for job in jobs for t in job.value]))


if __name__ == "__main__":
    main()
