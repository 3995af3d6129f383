"""The restore drill (issue 19): a synced, costed shop and uploaded files are backed up, the database and the files
are wiped, the archive is restored — every ОПиУ and Юнитка figure and every file's hash are what they were. On
PostgreSQL (pg_dump/pg_restore) and on SQLite (the online backup API)."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import asyncpg
import msgspec
import pytest

from stpulse.adapters.backup.archive import BackupCorrupt, tree_files
from stpulse.adapters.db.migrate import upgrade
from stpulse.application.costs.cost_book import CostForm, save_cost
from stpulse.application.ozon.sync import sync_shop
from stpulse.application.ozon.sync_ports import SyncKind, SyncStatus
from stpulse.application.reports.cache import TABLES
from stpulse.application.reports.views import ReportRequest, build_report
from stpulse.entrypoints.backups import archives, make_backup, restore_backup
from stpulse.entrypoints.bootstrap import Container, bootstrap
from stpulse.entrypoints.settings import Settings
from tests.fakes import FixedClock, MemoryMailer, PlainHasher, RecordingQueue, ReverseBox
from tests.sandbox_shop import connect, new_actor, ozon_factory, sandbox_app, world_of

SELLER = ("720001", "key-720001", 12, "small")
FIRST, LAST = dt.date(2026, 7, 1), dt.date(2026, 8, 31)
REQUEST = ReportRequest(month_from="2026-07", month_to="2026-08")
FILES = {"acc/one/contract": b"%PDF-1.4 contract " * 100, "acc/two/photo": bytes(range(256)) * 40}


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request, tmp_path: Path) -> Iterator[str]:  # type: ignore[no-untyped-def]
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'drill.sqlite3'}"
        upgrade(url)
        yield url
        return
    databases = request.getfixturevalue("migrated_databases")
    name, url = databases.create("stpulse_drill")
    yield url
    databases.drop(name)


def _container(settings: Settings, app: Any) -> Container:
    return bootstrap(settings, clock=FixedClock(dt.datetime(2026, 10, 1, 9, 0, tzinfo=dt.UTC)), mailer=MemoryMailer(),
                     hasher=PlainHasher(), secrets=ReverseBox(), jobs=RecordingQueue(), ozon=ozon_factory(app))


async def _figures(container: Container, actor: Any) -> dict[str, Any]:
    TABLES.clear()  # read the database, not the process's table cache
    out = {}
    for kind in ("pnl", "unit"):
        table = (await build_report(container.deps, actor, kind, REQUEST)).table
        assert table is not None and table.rows
        out[kind] = msgspec.to_builtins(table)
    return out


def _hashes(settings: Settings) -> dict[str, str]:
    return {name: hashlib.sha256(path.read_bytes()).hexdigest() for name, path in tree_files(settings.files_dir)}


async def _wipe(settings: Settings) -> None:
    url = settings.sqlalchemy_url
    if url.startswith("sqlite"):
        await asyncio.to_thread(Path(url.split("///", 1)[1]).unlink)
    else:
        conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
        await conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        await conn.close()
    for _, path in tree_files(settings.files_dir):
        path.unlink()


async def test_backup_wipe_restore_gives_identical_reports_and_files(database_url: str, tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", database_url=database_url, backup_keep=3)
    sandbox = sandbox_app([SELLER])
    container = _container(settings, sandbox)
    actor = await new_actor(container.deps, "drill@example.ru")
    shop_id = await connect(container.deps, actor, SELLER[0], SELLER[1], "Учения")
    run = await sync_shop(container.deps, shop_id, SyncKind.CLI, date_from=FIRST, date_to=LAST)
    assert run is not None and run.status == SyncStatus.DONE
    world = world_of(sandbox, SELLER[0])
    for k in range(20):
        await save_cost(container.deps, actor, CostForm(offer_id=world.catalog.offer_id(k), effective_from="01.01.2024",
                                                        purchase=f"{50 + k}.25"))
    for key, data in FILES.items():
        await container.deps.storage.save(key, data)
    before, hashes = await _figures(container, actor), _hashes(settings)
    assert len(hashes) == len(FILES)
    await container.close()

    archive = await asyncio.to_thread(make_backup, settings)
    await _wipe(settings)
    assert _hashes(settings) == {}
    await asyncio.to_thread(restore_backup, settings, archive)

    restored = _container(settings, sandbox)
    assert await _figures(restored, actor) == before
    assert _hashes(settings) == hashes
    await restored.close()
    assert archives(settings) == [archive]


def test_a_tampered_archive_is_refused_before_anything_is_touched(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'small.sqlite3'}"
    upgrade(url)
    settings = Settings(data_dir=tmp_path / "data", database_url=url)
    settings.files_dir.mkdir(parents=True)
    (settings.files_dir / "a").write_bytes(b"original")
    archive = make_backup(settings)
    data = bytearray(archive.read_bytes())
    at = data.index(b"original")
    data[at:at + 8] = b"ORIGINAL"
    archive.write_bytes(bytes(data))
    (settings.files_dir / "a").write_bytes(b"current")
    with pytest.raises(BackupCorrupt):
        restore_backup(settings, archive)
    assert (settings.files_dir / "a").read_bytes() == b"current"


def test_retention_keeps_the_newest_archives(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'small.sqlite3'}"
    upgrade(url)
    settings = Settings(data_dir=tmp_path / "data", database_url=url, backup_keep=2)
    made = [make_backup(settings, dt.datetime(2026, 11, day, 3, tzinfo=dt.UTC)) for day in (1, 2, 3)]
    assert archives(settings) == made[1:]


def test_the_cli_commands_back_up_and_restore(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from stpulse.entrypoints.cli.app import main

    env = {"STPULSE_DATA_DIR": str(tmp_path / "data"), "STPULSE_DATABASE_URL": "", "STPULSE_REDIS_URL": ""}
    settings = Settings(data_dir=tmp_path / "data")
    settings.data_dir.mkdir()
    upgrade(settings.sqlalchemy_url)
    settings.files_dir.mkdir(parents=True)
    (settings.files_dir / "doc").write_bytes(b"kept")
    made = CliRunner(env=env).invoke(main, ["backup"])
    assert made.exit_code == 0 and "Резервная копия" in made.output, made.output
    (settings.files_dir / "doc").write_bytes(b"changed")
    restored = CliRunner(env=env).invoke(main, ["restore", "--yes", str(archives(settings)[-1])])
    assert restored.exit_code == 0 and "контрольных сумм" in restored.output, restored.output
    assert (settings.files_dir / "doc").read_bytes() == b"kept"
