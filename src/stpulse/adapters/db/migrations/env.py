"""Alembic environment: async engine, URL given by `stpulse migrate` through the config."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.ext.asyncio import create_async_engine

# importing the models registers their tables in the shared metadata
from stpulse.adapters.db.accounts import models as _accounts  # noqa: F401
from stpulse.adapters.db.ads import models as _ads  # noqa: F401
from stpulse.adapters.db.alerts import models as _alerts  # noqa: F401
from stpulse.adapters.db.billing import models as _billing  # noqa: F401
from stpulse.adapters.db.cash import models as _cash  # noqa: F401
from stpulse.adapters.db.costs import models as _costs  # noqa: F401
from stpulse.adapters.db.ledger import ad_models as _ad_stats  # noqa: F401
from stpulse.adapters.db.ledger import models as _ledger  # noqa: F401
from stpulse.adapters.db.ledger import settlement_models as _settlement  # noqa: F401
from stpulse.adapters.db.metadata import metadata
from stpulse.adapters.db.ozon import models as _ozon  # noqa: F401
from stpulse.adapters.db.planning import models as _planning  # noqa: F401
from stpulse.adapters.db.planning import supply_models as _supply  # noqa: F401
from stpulse.adapters.db.reports import models as _reports  # noqa: F401

config = context.config
_WITHOUT_MODEL = {"content_versions"}  # PostgreSQL only, written by triggers (0019a): autogenerate leaves it alone


def _modelled(obj, name, type_, reflected, compare_to) -> bool:  # type: ignore[no-untyped-def]
    return not (type_ == "table" and reflected and compare_to is None and name in _WITHOUT_MODEL)


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(connection=connection, target_metadata=metadata, include_object=_modelled,
                      render_as_batch=connection.dialect.name == "sqlite", compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


async def _online() -> None:
    engine = create_async_engine(config.get_main_option("sqlalchemy.url") or "")
    async with engine.connect() as connection:
        await connection.run_sync(_run)
    await engine.dispose()


if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    asyncio.run(_online())
