"""One writer of a shop's rollups at a time: the accrual sync and the ads sync both rebuild daily and monthly rows
(delete, then insert) of the same shop, and two such transactions at once would collide on the primary keys."""

from __future__ import annotations

import uuid

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession


async def lock_shop_rollups(session: AsyncSession, shop_id: uuid.UUID) -> None:
    """Held to the end of the transaction (PostgreSQL; SQLite has one writer anyway)."""
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        await session.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(CAST(:shop AS text), 14))"),
                              {"shop": str(shop_id)})
