"""`stpulse ...`: serve, worker, migrate, createadmin, demo, sandbox, sync, report, backup, restore."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import click

from stpulse.domain.kernel.errors import ValidationError
from stpulse.entrypoints.settings import Settings

# Syncs run at once in one worker process. A sync waits on Ozon's limit for its cabinet (10 requests/s per Client-Id)
# most of its time: an hourly sync of a small shop makes ~48 requests, so ≥ 4.8 s, of which ~0.3 s is this process's
# CPU. With 4, two workers could not sync 1,000 shops in under 1,000 × 4.8 / 8 = 600 s however idle the machine
# (bench/scale.py); 8 halves that floor and keeps each process's connections (≤ 2 a sync) within its pool.
WORKER_THREADS = 8
# How long `serve` keeps an idle HTTP connection. uvicorn's 5 s default races a client that comes back after 5 s of
# quiet (a page polled every 5 s, bench/load.py's sessions): the server closes the socket just as the next request is
# written, and the client sees the connection dropped. Above a proxy's idle timeout (nginx 60-75 s, load balancers
# 60 s) the proxy, not the app, closes an idle upstream connection, which it does without losing a request.
KEEP_ALIVE_S = 75


@click.group()
def main() -> None:
    """STPulse — финансовый учёт для продавцов Ozon."""


@main.command()
def migrate() -> None:
    """Apply database migrations (Alembic) up to the newest."""
    from stpulse.adapters.db.migrate import upgrade

    settings = Settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    upgrade(settings.sqlalchemy_url)
    click.echo("Миграции применены.")
    written = asyncio.run(_legal_pages())
    if written:
        click.echo("Юридические страницы созданы по реквизитам STPULSE_OPERATOR_*: " + ", ".join(written))


async def _legal_pages() -> list[str]:
    from stpulse.application.accounts.content import ensure_legal_pages

    container = _container()
    try:
        return await ensure_legal_pages(container.deps, container.settings.operator())
    finally:
        await container.close()


def metrics_dir(settings: Settings) -> Path:
    """The shared directory of the web processes' metric files (STPULSE's own unless PROMETHEUS_MULTIPROC_DIR
    is set), emptied at start: files of processes of a previous run would be summed in."""
    folder = Path(os.environ.get("PROMETHEUS_MULTIPROC_DIR") or settings.data_dir / "metrics")
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.db"):
        stale.unlink()
    return folder


@main.command()
@click.option("--host", default=None, help="Адрес (по умолчанию STPULSE_HOST)")
@click.option("--port", default=None, type=int, help="Порт (по умолчанию STPULSE_PORT)")
@click.option("--workers", default=1, type=int, help="Процессов веб-сервера (production)")
def serve(host: str | None, port: int | None, workers: int) -> None:
    """Serve the web cabinet."""
    import uvicorn

    settings = Settings()
    settings.check_production()
    os.environ["STPULSE_WEB_PROCESSES"] = str(workers)  # each process's pool is its share (Settings.db_pool_size)
    if workers > 1:  # /metrics sums every web process (prometheus-client's multiprocess mode)
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(metrics_dir(settings))
    uvicorn.run("stpulse.entrypoints.web.asgi:app", host=host or settings.host, port=port or settings.port,
                workers=workers, proxy_headers=True, log_level="warning", timeout_keep_alive=KEEP_ALIVE_S,
                # only STPULSE_TRUSTED_PROXIES may say who the client is (uvicorn alone would trust 127.0.0.1)
                forwarded_allow_ips=settings.trusted_proxies)


@main.command()
@click.option("--threads", default=WORKER_THREADS, type=int, help="Потоков обработчика задач")
def worker(threads: int) -> None:
    """Run the Dramatiq task worker and the scheduler (needs STPULSE_REDIS_URL in production)."""
    from stpulse.entrypoints.logging import configure_logging
    from stpulse.entrypoints.worker.runner import run_forever

    settings = Settings()
    settings.check_production()
    configure_logging(settings.log_level, settings.json_logs)
    run_forever(settings, threads)


@main.command()
@click.option("--email", required=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--name", default="Администратор")
def createadmin(email: str, password: str, name: str) -> None:
    """Create a system administrator (or promote an existing user)."""
    from stpulse.application.accounts.admin_users import make_admin

    async def run() -> None:
        container = _container()
        try:
            user = await make_admin(container.deps, email, password, name)
        except ValidationError as exc:  # e.g. a guessable password: say why, not a traceback
            raise click.ClickException("; ".join(exc.fields.values())) from exc
        finally:
            await container.close()
        click.echo(f"Администратор {user.email} готов.")

    asyncio.run(run())


@main.command()
@click.option("--sync/--no-sync", default=True,
              help="Загрузить 12 месяцев демо-магазина сейчас (иначе — фоновой синхронизацией при запуске сервера)")
def demo(sync: bool) -> None:
    """Migrate and fill a demo cabinet; prints the demo logins."""
    from stpulse.adapters.db.migrate import upgrade
    from stpulse.entrypoints.demo import seed_demo

    settings = Settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    upgrade(settings.sqlalchemy_url)

    async def run() -> None:
        container = _container()
        click.echo("Готовлю демо-кабинет: пользователи, юрлицо, справка, демо-магазин…")
        try:
            with click.progressbar(length=100, label="Загрузка данных Ozon за 12 месяцев", show_percent=True,
                                   show_eta=False) as bar:
                def progress(percent: int, step: str) -> None:
                    bar.label = step
                    bar.update(percent - bar.pos)

                logins = await seed_demo(container, sync, progress)
        finally:
            await container.close()
        click.echo("Демо-кабинет готов:")
        for role, (email, password) in logins.items():
            click.echo(f"  {role}: {email} / {password}")
        click.echo(f"Откройте {settings.base_url}")

    asyncio.run(run())


def _container():  # type: ignore[no-untyped-def]
    from stpulse.entrypoints.bootstrap import bootstrap
    from stpulse.entrypoints.logging import configure_logging

    settings = Settings()
    configure_logging(settings.log_level, json=False)
    return bootstrap(settings)



def _register_ozon_commands() -> None:
    from stpulse.entrypoints.cli.ozon import sandbox, sync

    main.add_command(sandbox)
    main.add_command(sync)


_register_ozon_commands()


def _register_report_command() -> None:
    from stpulse.entrypoints.cli.backup import backup, restore
    from stpulse.entrypoints.cli.operator import shop, user
    from stpulse.entrypoints.cli.reports import report

    main.add_command(report)
    main.add_command(backup)
    main.add_command(restore)
    main.add_command(user)
    main.add_command(shop)


_register_report_command()

if __name__ == "__main__":
    main()
