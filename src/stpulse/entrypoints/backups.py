"""`stpulse backup` / `stpulse restore` and the worker's daily backup: the database dump plus the uploaded files
in one archive with a checksum manifest (`adapters/backup`), kept `backup_keep` deep."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
import time
from pathlib import Path

import structlog

from stpulse.adapters.backup.archive import extract_verified, tree_files, write_archive
from stpulse.adapters.backup.databases import dump_database, is_sqlite, restore_database
from stpulse.entrypoints.settings import Settings

log = structlog.get_logger()
PREFIX, SUFFIX = "stpulse-", ".tar"
DUMP = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


def archives(settings: Settings) -> list[Path]:
    """Finished archives, oldest first (names sort by time)."""
    folder = settings.backups_dir
    return sorted(folder.glob(f"{PREFIX}*{SUFFIX}")) if folder.is_dir() else []


def make_backup(settings: Settings, now: dt.datetime | None = None) -> Path:
    now = now or dt.datetime.now(dt.UTC)
    folder = settings.backups_dir
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{PREFIX}{now:%Y%m%dT%H%M%S%fZ}{SUFFIX}"
    kind = "sqlite" if is_sqlite(settings.sqlalchemy_url) else "postgresql"
    with tempfile.TemporaryDirectory(dir=folder) as tmp:
        dump = Path(tmp) / DUMP[kind]
        dump_database(settings.sqlalchemy_url, dump)
        members = [(dump.name, dump), *((f"files/{name}", path) for name, path in tree_files(settings.files_dir))]
        manifest = write_archive(target, members, {"created_at": now.isoformat(), "database": kind})
    pruned = prune(settings)
    log.info("backup.done", archive=target.name, members=len(manifest["members"]),  # type: ignore[arg-type]
             bytes=target.stat().st_size, pruned=len(pruned))
    return target


def prune(settings: Settings) -> list[Path]:
    old = archives(settings)[:-max(1, settings.backup_keep)]
    for path in old:
        path.unlink(missing_ok=True)
    return old


def restore_backup(settings: Settings, archive: Path) -> dict[str, object]:
    """Verify the whole archive, then replace the database's contents and the uploaded files with it."""
    files = settings.files_dir
    files.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=files.parent) as tmp:
        manifest = extract_verified(archive, Path(tmp))
        dump = Path(tmp) / DUMP[str(manifest["database"])]
        if (manifest["database"] == "sqlite") != is_sqlite(settings.sqlalchemy_url):
            raise ValueError("Архив сделан на другой базе данных (SQLite и PostgreSQL не взаимозаменяемы)")
        restore_database(settings.sqlalchemy_url, dump)
        restored = Path(tmp) / "files"
        restored.mkdir(exist_ok=True)
        previous = files.with_name(files.name + ".before-restore")
        shutil.rmtree(previous, ignore_errors=True)
        if files.exists():
            files.rename(previous)
        restored.rename(files)
        shutil.rmtree(previous, ignore_errors=True)
    log.info("backup.restored", archive=archive.name)
    return manifest


def last_backup_age(settings: Settings, now: float | None = None) -> float | None:
    """Seconds since the newest finished archive was written; None when there is none."""
    found = archives(settings)
    return None if not found else max(0.0, (now or time.time()) - found[-1].stat().st_mtime)


def scheduled_backup(settings: Settings) -> None:
    """The worker's periodic job: never raises (logged), so the scheduler keeps going."""
    try:
        make_backup(settings)
    except Exception:
        log.exception("backup.failed")
