"""The account's SKU models, each user's «Показатели» per report and the account's highlight thresholds."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from stpulse.adapters.db import bulk
from stpulse.adapters.db.reports import models as m

MODELS, CHOICES, THRESHOLDS = (bulk.table_of(m.SkuModelRow), bulk.table_of(m.MetricChoiceRow),
                               bulk.table_of(m.HighlightThresholdRow))


class ReportSettingsRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def models(self, account_id: uuid.UUID) -> dict[str, str]:
        t = m.SkuModelRow
        rows = (await self.s.execute(select(t.offer_id, t.model).where(t.account_id == account_id))).all()
        return {offer: model for offer, model in rows}

    async def replace_models(self, account_id: uuid.UUID, models: Mapping[str, str]) -> None:
        t = m.SkuModelRow
        gone = [offer for offer, model in models.items() if not model]
        if gone:
            await self.s.execute(delete(t).where(t.account_id == account_id, t.offer_id.in_(gone)))
        rows = [(account_id, offer, model) for offer, model in models.items() if model]
        await bulk.upsert(self.s, MODELS, ("account_id", "offer_id", "model"), rows, ("account_id", "offer_id"))

    async def metric_choice(self, user_id: uuid.UUID, account_id: uuid.UUID, report: str) -> tuple[str, ...] | None:
        t = m.MetricChoiceRow
        found = (await self.s.execute(select(t.metrics).where(t.user_id == user_id, t.account_id == account_id,
                                                              t.report == report))).scalar_one_or_none()
        return None if found is None else tuple(c for c in found.split(",") if c)

    async def save_metric_choice(self, user_id: uuid.UUID, account_id: uuid.UUID, report: str,
                                 metrics: Sequence[str]) -> None:
        await bulk.upsert(self.s, CHOICES, ("user_id", "account_id", "report", "metrics"),
                          [(user_id, account_id, report, ",".join(metrics)[:2000])], ("user_id", "account_id", "report"))

    async def thresholds(self, account_id: uuid.UUID) -> dict[str, int]:
        t = m.HighlightThresholdRow
        return {rule: int(v) for rule, v in (await self.s.execute(
            select(t.rule, t.value).where(t.account_id == account_id))).all()}

    async def save_thresholds(self, account_id: uuid.UUID, values: Mapping[str, int | None]) -> None:
        t = m.HighlightThresholdRow
        gone = [k for k, v in values.items() if v is None]
        if gone:
            await self.s.execute(delete(t).where(t.account_id == account_id, t.rule.in_(gone)))
        rows = [(account_id, k, v) for k, v in values.items() if v is not None]
        await bulk.upsert(self.s, THRESHOLDS, ("account_id", "rule", "value"), rows, ("account_id", "rule"))
