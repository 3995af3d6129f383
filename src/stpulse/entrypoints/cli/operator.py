"""`stpulse user create` and `stpulse shop connect`: the cabinet's sign-up and shop connection for scripts and
support, through the same use cases (the live key check and the tariff limits included). Secrets come on stdin."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from typing import Any

import click

from stpulse.domain.kernel.errors import DomainError, ValidationError


def _stdin_line(what: str) -> str:
    value = sys.stdin.readline().rstrip("\r\n")
    if not value:
        raise click.ClickException(f"{what}: ожидалась строка на стандартном вводе")
    return value


def _run(work: Callable[[Any], Awaitable[str]]) -> None:
    """Run one use case on a container built for the command; a refusal is a readable message, not a traceback."""
    from stpulse.entrypoints.cli.app import _container

    async def run() -> str:
        container = _container()
        try:
            return await work(container.deps)
        except ValidationError as exc:
            raise click.ClickException("; ".join(exc.fields.values())) from exc
        except DomainError as exc:
            raise click.ClickException(exc.message) from exc
        finally:
            await container.close()

    click.echo(asyncio.run(run()))


@click.group()
def user() -> None:
    """Пользователи."""


@user.command("create")
@click.option("--email", required=True)
@click.option("--name", default="", help="Имя (по умолчанию — часть почты до @)")
@click.option("--password-stdin", is_flag=True, help="Прочитать пароль из первой строки стандартного ввода")
def create_user_command(email: str, name: str, password_stdin: bool) -> None:
    """Create a confirmed user with their own account; prints the ids."""
    from stpulse.application.accounts.operators import create_user

    password = _stdin_line("Пароль") if password_stdin else None

    async def work(deps: Any) -> str:
        actor = await create_user(deps, email, password, name or email.split("@")[0])
        note = "" if password else "\nПароль не задан: пользователь задаст его через «Забыли пароль?»."
        return f"user_id={actor.user.id} account_id={actor.account_id}{note}"

    _run(work)


@click.group()
def shop() -> None:
    """Магазины Ozon."""


@shop.command("connect")
@click.option("--email", required=True, help="Почта владельца кабинета")
@click.option("--name", required=True, help="Название магазина")
@click.option("--client-id", required=True)
@click.option("--api-key-stdin", is_flag=True, required=True, help="Api-Key — первая строка стандартного ввода")
def connect_shop_command(email: str, name: str, client_id: str, api_key_stdin: bool) -> None:
    """Connect an Ozon shop to the user's account (the key is checked live, as in the cabinet); prints its id."""
    from stpulse.application.accounts.operators import owner_actor
    from stpulse.application.ozon.shops import ConnectShop, connect_shop

    api_key = _stdin_line("Api-Key")

    async def work(deps: Any) -> str:
        actor = await owner_actor(deps, email)
        found = await connect_shop(deps, actor, ConnectShop(name=name, client_id=client_id, api_key=api_key))
        return f"shop_id={found.id} account_id={found.account_id}\nПервичная загрузка данных Ozon поставлена в очередь."

    _run(work)
