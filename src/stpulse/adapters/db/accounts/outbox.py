"""The job outbox (application/kernel/outbox.py)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from stpulse.adapters.db.accounts.models import OutboxRow
from stpulse.application.kernel.ports import OutboxJob


class OutboxRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def add(self, job: OutboxJob) -> None:
        self.s.add(OutboxRow(id=job.id, job=job.job, ids=json.dumps(job.ids), created_at=job.created_at))
        await self.s.flush()

    async def pending(self, limit: int) -> list[OutboxJob]:
        """Oldest first; on PostgreSQL rows another relay holds are skipped, so two relays send each job once."""
        stmt = select(OutboxRow).order_by(OutboxRow.created_at, OutboxRow.id).limit(limit)
        if self.s.get_bind().dialect.name == "postgresql":
            stmt = stmt.with_for_update(skip_locked=True)
        rows = (await self.s.execute(stmt)).scalars()
        return [OutboxJob(id=r.id, job=r.job, ids=json.loads(r.ids), created_at=r.created_at) for r in rows]

    async def remove(self, ids: Sequence[uuid.UUID]) -> None:
        await self.s.execute(delete(OutboxRow).where(OutboxRow.id.in_(list(ids))))
