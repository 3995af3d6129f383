"""Locust users of bench/load.py: each is a signed-in session opening the Юнитка page every 5 seconds.

Configured by bench/load.py through the environment: STPULSE_LOAD_COOKIE (the stp_session cookie) and
STPULSE_LOAD_PATH (the report page with its selection)."""

from __future__ import annotations

import os
import random

from locust import HttpUser, constant_pacing, task

PAGES = int(os.environ.get("STPULSE_LOAD_PAGES", "1"))


class ReportReader(HttpUser):
    wait_time = constant_pacing(5)

    def on_start(self) -> None:
        self.client.cookies.set("stp_session", os.environ["STPULSE_LOAD_COOKIE"])

    @task
    def open_report(self) -> None:
        page = random.randint(1, PAGES)
        path = os.environ["STPULSE_LOAD_PATH"] + (f"&page={page}" if page > 1 else "")
        with self.client.get(path, name="report", catch_response=True, allow_redirects=False) as resp:
            if resp.status_code != 200 or "report-table" not in resp.text:
                resp.failure(f"{resp.status_code}")
            elif len(resp.content) > 200 * 1024:
                resp.failure(f"{len(resp.content)} bytes of HTML")
