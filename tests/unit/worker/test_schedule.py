"""The worker's periodic jobs: what runs how often, and the daily backup made by the scheduler itself."""

from __future__ import annotations

import threading
from pathlib import Path

from stpulse.adapters.db.migrate import upgrade
from stpulse.entrypoints.backups import archives
from stpulse.entrypoints.settings import Settings
from stpulse.entrypoints.worker.runner import Scheduler, periodic_jobs


def test_every_periodic_job_and_its_period(tmp_path: Path) -> None:
    jobs = {name: every for name, every, _ in periodic_jobs(Settings(data_dir=tmp_path), lambda *a, **k: None)}
    assert jobs == {"heartbeat": 30, "sync_all_shops": 3600, "resume_syncs": 15, "billing_daily": 6 * 3600,
                    "relay_outbox": 10, "backup": 86400, "alerts_digest": 3600}


def test_the_scheduler_makes_the_daily_backup_once_a_day(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    tmp_path.mkdir(exist_ok=True)
    upgrade(settings.sqlalchemy_url)
    backup = [job for job in periodic_jobs(settings, lambda *a, **k: None) if job[0] == "backup"]
    scheduler = Scheduler(backup)
    day = 1_800_000_000.0 - 1_800_000_000.0 % 86400
    for at in (day + 60, day + 3600, day + 80000, day + 86400 + 60):  # a new day begins at the last tick
        scheduler.tick(at)
        for thread in threading.enumerate():
            if thread.name == "stpulse-backup":
                thread.join(30)
    assert len(archives(settings)) == 2
