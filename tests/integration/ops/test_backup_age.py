"""The newest backup's age on /health and in /metrics (issue 19)."""

from __future__ import annotations

import asyncio
import os
import re
import time

from stpulse.entrypoints.backups import make_backup


async def test_health_and_metrics_show_the_last_backups_age(client, app, settings):  # type: ignore[no-untyped-def]
    assert (await client.get("/health")).json()["last_backup_age_s"] is None
    assert "stpulse_last_backup_age_seconds -1" in (await client.get("/metrics")).text
    archive = await asyncio.to_thread(make_backup, settings)
    hours_ago = time.time() - 3 * 3600
    os.utime(archive, (hours_ago, hours_ago))
    assert abs((await client.get("/health")).json()["last_backup_age_s"] - 3 * 3600) < 60
    found = re.search(r"^stpulse_last_backup_age_seconds ([0-9.]+)$", (await client.get("/metrics")).text, re.M)
    assert found and abs(float(found.group(1)) - 3 * 3600) < 60
