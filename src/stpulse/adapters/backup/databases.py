"""Dump and restore the database: PostgreSQL through `pg_dump`/`pg_restore` (custom format, consistent snapshot,
no owners or grants so a fresh server restores it), SQLite through its online backup API (safe while the
embedded server writes)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def _pg_args(url: str) -> tuple[list[str], dict[str, str]]:
    u = make_url(url)
    args = ["-h", u.host or "127.0.0.1", "-p", str(u.port or 5432), "-U", u.username or "postgres"]
    env = {**os.environ, "PGPASSWORD": u.password or ""} if u.password else dict(os.environ)
    return args, {**env, "PGDATABASE": u.database or ""}


def dump_database(url: str, target: Path) -> None:
    if is_sqlite(url):
        with sqlite3.connect(_sqlite_path(url)) as src, sqlite3.connect(target) as dst:
            src.backup(dst)
        return
    args, env = _pg_args(url)
    _run([_tool("pg_dump"), *args, "--format=custom", "--no-owner", "--no-privileges", "-f", str(target)], env)


def restore_database(url: str, source: Path) -> None:
    """Replace the database's contents with the dump (objects dropped first, in one transaction)."""
    if is_sqlite(url):
        path = _sqlite_path(url)
        path.parent.mkdir(parents=True, exist_ok=True)
        with sqlite3.connect(source) as src, sqlite3.connect(path) as dst:
            src.backup(dst)
        return
    args, env = _pg_args(url)
    _run([_tool("pg_restore"), *args, "--clean", "--if-exists", "--no-owner", "--no-privileges",
          "--single-transaction", "-d", env["PGDATABASE"], str(source)], env)


def _run(argv: list[str], env: dict[str, str]) -> None:
    """Run a PostgreSQL client tool; its own message (stderr) becomes the error, the password never does."""
    done = subprocess.run(argv, env=env, capture_output=True, check=False)  # noqa: S603 - a fixed tool, args from settings
    if done.returncode != 0:
        raise RuntimeError(f"{Path(argv[0]).name}: {done.stderr.decode(errors='replace').strip()[:2000]}")


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise RuntimeError(f"{name} не найден: установите postgresql-client той же major-версии, что и сервер")
    return path


def _sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise ValueError("SQLite in memory cannot be backed up")
    return Path(database)
