"""The database's own figures for the admin's monitoring page."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession


class DatabaseStatsRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def size_bytes(self) -> int | None:
        dialect = self.s.get_bind().dialect.name
        if dialect == "postgresql":
            return int((await self.s.execute(sa.text("SELECT pg_database_size(current_database())"))).scalar_one())
        if dialect == "sqlite":
            pages = (await self.s.execute(sa.text("PRAGMA page_count"))).scalar_one()
            size = (await self.s.execute(sa.text("PRAGMA page_size"))).scalar_one()
            return int(pages) * int(size)
        return None
