"""`stpulse sandbox` (the Ozon Seller API imitation) and `stpulse sync` (a shop sync in the foreground)."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import uuid

import click

from stpulse.entrypoints.settings import Settings


@click.command()
@click.option("--host", default="127.0.0.1")
@click.option("--port", default=8100, type=int)
@click.option("--seed", default=1, type=int, help="Зерно генератора продавца")
@click.option("--profile", default="small", type=click.Choice(["small", "medium", "large"]))
@click.option("--client-id", default="100001", help="Client-Id, который примет песочница")
@click.option("--api-key", default="sandbox-api-key", help="Api-Key, который примет песочница")
@click.option("--today", default=None, help="«Сегодня» песочницы, ГГГГ-ММ-ДД (по умолчанию — сегодня)")
@click.option("--shops", default=1, type=click.IntRange(1, 100_000),
              help="Продавцов: Client-Id по порядку от --client-id, ключи «КЛЮЧ-i», зёрна от --seed")
@click.option("--warm", is_flag=True, help="Построить данные всех продавцов (остатки) до первого запроса")
def sandbox(host: str, port: int, seed: int, profile: str, client_id: str, api_key: str, today: str | None,
            shops: int, warm: bool) -> None:
    """Serve the Ozon Seller API sandbox with the API paths at its root (control: /__sandbox/...)."""
    import uvicorn

    from stpulse.adapters.sandbox.ozon import SandboxConfig, create_sandbox_app, numbered_shops, sandbox_state
    from stpulse.domain.kernel.moscow import moscow_today
    from stpulse.entrypoints.ozon_wiring import ORIGIN_CACHE

    day = dt.date.fromisoformat(today) if today else moscow_today(dt.datetime.now(dt.UTC))
    if shops > 1 and not client_id.isdigit():
        raise click.BadParameter("для нескольких продавцов Client-Id должен быть числом", param_hint="--client-id")
    config = SandboxConfig(shops=numbered_shops(client_id, api_key, seed, profile, shops),
                           today=day, origin_cache_size=ORIGIN_CACHE)
    more = f" (+{shops - 1} продавцов: Client-Id по порядку, ключи {api_key}-i)" if shops > 1 else ""
    click.echo(f"Песочница Ozon: http://{host}:{port}  Client-Id {client_id}  Api-Key {api_key}{more}  "
               f"профиль {profile}, зерно {seed}, сегодня {day}")
    from stpulse.entrypoints.web.sandbox_mount import yookassa_standalone_handlers

    yookassa = yookassa_standalone_handlers(Settings(), f"http://{host}:{port}")
    click.echo(f"Песочница ЮKassa: http://{host}:{port}/yookassa/v3 (STPULSE_YOOKASSA_API_URL)")
    app = create_sandbox_app(config, extra_route_handlers=yookassa)
    if warm:
        click.echo(f"Данные продавцов построены: {sandbox_state(app).warm()}")
    uvicorn.run(app, host=host, port=port, log_level="warning")


@click.command()
@click.option("--shop", "shop_id", required=True, help="Id магазина (UUID)")
@click.option("--from", "date_from", default=None, help="С даты, ГГГГ-ММ-ДД")
@click.option("--to", "date_to", default=None, help="По дату, ГГГГ-ММ-ДД")
def sync(shop_id: str, date_from: str | None, date_to: str | None) -> None:
    """Sync one shop now, in the foreground, with a progress bar."""
    from stpulse.application.ozon.sync import sync_shop
    from stpulse.application.ozon.sync_ports import SyncKind, SyncStatus
    from stpulse.entrypoints.bootstrap import bootstrap

    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per Ozon request would hide the bar

    async def run() -> None:
        container = bootstrap(Settings())
        try:
            with click.progressbar(length=100, label="Синхронизация", show_percent=True) as bar:
                def progress(percent: int, step: str) -> None:
                    bar.label = step
                    bar.update(percent - bar.pos)

                result = await sync_shop(container.deps, uuid.UUID(shop_id), SyncKind.CLI,
                                         date_from=_date(date_from), date_to=_date(date_to), progress=progress)
        finally:
            await container.close()
        if result is None:
            raise click.ClickException("Магазин не найден, отключён или уже синхронизируется")
        if result.status != SyncStatus.DONE:
            raise click.ClickException(result.error)
        click.echo(f"Готово: {result.date_from} — {result.date_to}, строк начислений {result.lines}, "
                   f"запросов к Ozon {result.requests}")

    asyncio.run(run())


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None
