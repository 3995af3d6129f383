"""Issue 18.6: search folds Cyrillic case on SQLite (whose own lower() folds ASCII only) and on PostgreSQL."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from stpulse.adapters.db.migrate import upgrade
from stpulse.application.accounts.identity import Register, register
from stpulse.domain.accounts.content import ContentPage
from stpulse.domain.ledger.shops import Shop
from stpulse.entrypoints.bootstrap import bootstrap
from stpulse.entrypoints.settings import Settings
from tests.services import REDIS_URL, run_sync, truncate_all


@pytest.fixture(params=["sqlite", "postgresql"])
def settings_on(request, tmp_path: Path) -> Settings:  # type: ignore[no-untyped-def]
    if request.param == "sqlite":
        settings = Settings(_env_file=None, data_dir=tmp_path, redis_url="")
        upgrade(settings.sqlalchemy_url)
        return settings
    pg_url = request.getfixturevalue("pg_url")
    run_sync(truncate_all(pg_url))
    return Settings(mode="production", database_url=pg_url, redis_url=REDIS_URL, data_dir=tmp_path,
                    embedded_worker=False)


async def test_search_ignores_cyrillic_case(settings_on: Settings):
    container = bootstrap(settings_on)
    deps = container.deps
    try:
        user = await register(deps, Register(email="anna@example.ru", password="correct-horse-1",
                                             password_confirm="correct-horse-1", full_name="Анна Демова", consent=True))
        async with deps.uow() as uow:
            account_id = (await uow.memberships.for_user(user.id))[0].account_id
            await uow.shops.add(Shop(id=uuid.uuid4(), account_id=account_id, name="Демо-магазин", client_id="501"), b"k")
            await uow.pages.add(ContentPage(id=uuid.uuid4(), slug="help", title="Справка", body_markdown="Как начать"))
            await uow.commit()
        async with deps.uow() as uow:
            for query in ("Демо", "демо", "ДЕМО"):
                assert [s.name for s in await uow.shops.search(account_id, query, 10)] == ["Демо-магазин"], query
            for query in ("Справка", "справка", "КАК НАЧАТЬ"):
                assert [p.title for p in await uow.pages.search(query, 10)] == ["Справка"], query
            for query in ("демова", "АННА"):
                users, total = await uow.users.search(query, 0, 10)
                assert total == 1 and users[0].email == "anna@example.ru", query
    finally:
        await container.close()
