"""Locust users of bench/load.py: each is a signed-in session opening the Юнитка page every 5 seconds.

Configured by bench/load.py through the environment: STPULSE_LOAD_COOKIE (the stp_session cookie), STPULSE_LOAD_PATH
(the report page with its selection), STPULSE_LOAD_PAGES and STPULSE_LOAD_DEPHASE (non-empty: each session waits a
random part of the pacing before its first request). The client is geventhttpclient (`FastHttpUser`): locust runs on
the server's cores, and python-requests spent several ms of CPU per 177 KB page there."""

from __future__ import annotations

import os
import random
import time

import gevent
from locust import FastHttpUser, task

PAGES = int(os.environ.get("STPULSE_LOAD_PAGES", "1"))
PACING = 5


class ReportReader(FastHttpUser):
    """Pacing: each request starts PACING seconds after the session's previous one started. Not locust's
    `constant_pacing`: that one counts from the user's creation, so a wait in `on_start` shifted only the first
    request and every later one fell back into the spawn group."""

    due = 0.0

    def wait_time(self) -> float:
        return max(0.0, self.due - time.perf_counter())

    def on_start(self) -> None:
        self.headers = {"Cookie": f"stp_session={os.environ['STPULSE_LOAD_COOKIE']}"}
        if os.environ.get("STPULSE_LOAD_DEPHASE"):
            gevent.sleep(random.uniform(0, PACING))

    @task
    def open_report(self) -> None:
        self.due = time.perf_counter() + PACING
        page = random.randint(1, PAGES)
        path = os.environ["STPULSE_LOAD_PATH"] + (f"&page={page}" if page > 1 else "")
        with self.client.get(path, name="report", headers=self.headers, catch_response=True,
                             allow_redirects=False) as resp:
            if resp.status_code != 200 or "report-table" not in (resp.text or ""):
                resp.failure(f"{resp.status_code}")
            elif len(resp.content or b"") > 200 * 1024:
                resp.failure(f"{len(resp.content or b'')} bytes of HTML")
