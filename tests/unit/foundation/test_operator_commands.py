"""Issue 11: `stpulse user create` and `stpulse shop connect` for scripts and support (the embedded default:
SQLite in a temporary folder, the built-in Ozon sandbox); secrets on stdin, the new ids printed."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from stpulse.entrypoints.logging import configure_logging
from stpulse.entrypoints.ozon_wiring import EMBEDDED_SHOPS

PASSWORD = "Очень-Длинный-Пароль-2026"


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    from stpulse.entrypoints.cli.app import main

    for name in ("STPULSE_DATABASE_URL", "STPULSE_REDIS_URL", "STPULSE_MODE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    env = {"STPULSE_DATA_DIR": str(tmp_path / "var")}

    def invoke(*args: str, stdin: str = ""):  # type: ignore[no-untyped-def]
        return CliRunner().invoke(main, list(args), input=stdin, env=env)

    assert invoke("migrate").exit_code == 0
    yield invoke
    configure_logging("INFO", json=True)


def _login(tmp_path: Path, email: str, password: str) -> str:
    from stpulse.application.accounts.identity import Login, login
    from stpulse.application.accounts.operators import owner_actor
    from stpulse.application.ozon.shops import list_shops
    from stpulse.entrypoints.bootstrap import bootstrap
    from stpulse.entrypoints.settings import Settings

    async def run() -> str:
        container = bootstrap(Settings(_env_file=None, data_dir=tmp_path / "var"))
        try:
            signed = await login(container.deps, Login(email=email, password=password))
            shops = await list_shops(container.deps, await owner_actor(container.deps, email))
            return f"{signed.user.email_confirmed_at is not None} {[str(s.id) for s, _ in shops]}"
        finally:
            await container.close()

    return asyncio.run(run())


def test_user_create_prints_the_ids_of_a_confirmed_user_with_an_account(cli, tmp_path: Path):
    made = cli("user", "create", "--email", "Ops@Example.ru", "--password-stdin", stdin=PASSWORD + "\n")
    assert made.exit_code == 0, made.output
    assert re.search(r"user_id=[0-9a-f-]{36} account_id=[0-9a-f-]{36}", made.output)
    assert _login(tmp_path, "ops@example.ru", PASSWORD) == "True []"
    again = cli("user", "create", "--email", "ops@example.ru", "--password-stdin", stdin=PASSWORD + "\n")
    assert again.exit_code != 0 and "уже зарегистрирован" in again.output
    weak = cli("user", "create", "--email", "weak@example.ru", "--password-stdin", stdin="123\n")
    assert weak.exit_code != 0 and "Traceback" not in weak.output
    bare = cli("user", "create", "--email", "nopass@example.ru")
    assert bare.exit_code == 0 and "Забыли пароль" in bare.output


def test_shop_connect_checks_the_key_live_and_prints_the_shop_id(cli, tmp_path: Path):
    assert cli("user", "create", "--email", "seller@example.ru", "--password-stdin", stdin=PASSWORD + "\n").exit_code == 0
    client_id, (key, _, _) = "100001", EMBEDDED_SHOPS["100001"]
    wrong = cli("shop", "connect", "--email", "seller@example.ru", "--name", "Мой магазин", "--client-id", client_id,
                "--api-key-stdin", stdin="not-the-key-at-all\n")
    assert wrong.exit_code != 0 and "Api-Key" in wrong.output, wrong.output
    done = cli("shop", "connect", "--email", "seller@example.ru", "--name", "Мой магазин", "--client-id", client_id,
               "--api-key-stdin", stdin=key + "\n")
    assert done.exit_code == 0, done.output
    shop_id = re.search(r"shop_id=([0-9a-f-]{36})", done.output).group(1)  # type: ignore[union-attr]
    assert _login(tmp_path, "seller@example.ru", PASSWORD) == f"True ['{shop_id}']"
    twice = cli("shop", "connect", "--email", "seller@example.ru", "--name", "Ещё", "--client-id", client_id,
                "--api-key-stdin", stdin=key + "\n")
    assert twice.exit_code != 0 and "уже подключён" in twice.output
    nobody = cli("shop", "connect", "--email", "nobody@example.ru", "--name", "Х", "--client-id", client_id,
                 "--api-key-stdin", stdin=key + "\n")
    assert nobody.exit_code != 0 and "не найден" in nobody.output
