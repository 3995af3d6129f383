"""`stpulse backup` and `stpulse restore`."""

from __future__ import annotations

from pathlib import Path

import click

from stpulse.entrypoints.settings import Settings


@click.command()
def backup() -> None:
    """Back up the database and the uploaded files into one archive (STPULSE_BACKUP_DIR)."""
    from stpulse.entrypoints.backups import make_backup

    try:
        path = make_backup(Settings())
    except RuntimeError as exc:  # pg_dump missing or refused: its own message
        raise click.ClickException(str(exc)) from None
    click.echo(f"Резервная копия: {path} ({path.stat().st_size:,} байт)".replace(",", " "))


@click.command()
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Не спрашивать подтверждения")
def restore(archive: Path, yes: bool) -> None:
    """Replace the database and the uploaded files with a backup (checked against its manifest first)."""
    from stpulse.adapters.backup.archive import BackupCorrupt
    from stpulse.entrypoints.backups import restore_backup

    if not yes:
        click.confirm("Текущие данные и файлы будут заменены копией. Продолжить?", abort=True)
    try:
        manifest = restore_backup(Settings(), archive)
    except (BackupCorrupt, ValueError, RuntimeError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Восстановлено из {archive.name} (копия от {manifest['created_at']}, "
               f"{len(manifest['members'])} файлов с проверкой контрольных сумм).")  # type: ignore[arg-type]
