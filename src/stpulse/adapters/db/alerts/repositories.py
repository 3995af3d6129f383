"""The alerts repository: always by account; an alert's cause is unique within its account."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from sqlalchemy import and_, delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from stpulse.adapters.db.alerts import models as m
from stpulse.application.alerts.ports import Alert, SeenAlert
from stpulse.domain.alerts.rules import Channel, RuleCode, Setting


def _alert(r: m.AlertRow) -> Alert:
    return Alert(id=r.id, account_id=r.account_id, rule=RuleCode(r.rule), cause=r.cause, title=r.title, body=r.body,
                 url=r.url, urgent=r.urgent, created_at=r.created_at, shop_id=r.shop_id)


class AlertRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def settings(self, account_id: uuid.UUID) -> dict[RuleCode, Setting]:
        rows = (await self.s.execute(select(m.AlertSettingRow).where(m.AlertSettingRow.account_id == account_id))).scalars()
        out = {}
        for r in rows:
            try:
                out[RuleCode(r.rule)] = Setting(rule=RuleCode(r.rule), threshold=r.threshold, enabled=r.enabled)
            except ValueError:  # a rule removed since
                continue
        return out

    async def save_setting(self, account_id: uuid.UUID, setting: Setting) -> None:
        row = await self.s.get(m.AlertSettingRow, (account_id, setting.rule.value))
        if row is None:
            self.s.add(m.AlertSettingRow(account_id=account_id, rule=setting.rule.value, threshold=setting.threshold,
                                         enabled=setting.enabled))
        else:
            row.threshold, row.enabled = setting.threshold, setting.enabled
        await self.s.flush()

    async def channels(self, account_id: uuid.UUID) -> dict[tuple[uuid.UUID, RuleCode], Channel]:
        rows = (await self.s.execute(select(m.AlertChannelRow).where(m.AlertChannelRow.account_id == account_id))).scalars()
        out = {}
        for r in rows:
            try:
                out[(r.user_id, RuleCode(r.rule))] = Channel(r.channel)
            except ValueError:
                continue
        return out

    async def save_channel(self, account_id: uuid.UUID, user_id: uuid.UUID, rule: RuleCode, channel: Channel) -> None:
        row = await self.s.get(m.AlertChannelRow, (account_id, user_id, rule.value))
        if row is None:
            self.s.add(m.AlertChannelRow(account_id=account_id, user_id=user_id, rule=rule.value, channel=channel.value))
        else:
            row.channel = channel.value
        await self.s.flush()

    async def add_new(self, alert: Alert) -> bool:
        exists = select(m.AlertRow.id).where(m.AlertRow.account_id == alert.account_id, m.AlertRow.cause == alert.cause)
        if (await self.s.execute(exists)).first() is not None:
            return False
        try:
            async with self.s.begin_nested():
                self.s.add(m.AlertRow(id=alert.id, account_id=alert.account_id, rule=alert.rule.value,
                                      cause=alert.cause[:300], title=alert.title[:300], body=alert.body[:1000],
                                      url=alert.url[:300], urgent=alert.urgent, created_at=alert.created_at,
                                      shop_id=alert.shop_id))
        except IntegrityError:  # an evaluation running at the same time stored it
            return False
        return True

    def _read(self, user_id: uuid.UUID):  # type: ignore[no-untyped-def]
        return and_(m.AlertReadRow.alert_id == m.AlertRow.id, m.AlertReadRow.user_id == user_id)

    def _mine(self, account_id: uuid.UUID, shops: frozenset[uuid.UUID] | None):  # type: ignore[no-untyped-def]
        """The account's alerts the member may see: a restricted member only those of their shops."""
        if shops is None:
            return m.AlertRow.account_id == account_id
        return and_(m.AlertRow.account_id == account_id, m.AlertRow.shop_id.in_(list(shops)))

    async def for_user(self, account_id: uuid.UUID, user_id: uuid.UUID, offset: int, limit: int,
                       shops: frozenset[uuid.UUID] | None) -> tuple[list[SeenAlert], int]:
        where = self._mine(account_id, shops)
        total = (await self.s.execute(select(func.count()).select_from(m.AlertRow).where(where))).scalar_one()
        stmt = (select(m.AlertRow, m.AlertReadRow.read_at).outerjoin(m.AlertReadRow, self._read(user_id)).where(where)
                .order_by(m.AlertRow.created_at.desc(), m.AlertRow.id.desc()).offset(offset).limit(limit))
        items = [SeenAlert(alert=_alert(r), read=read_at is not None) for r, read_at in (await self.s.execute(stmt)).all()]
        return items, int(total)

    async def unread(self, account_id: uuid.UUID, user_id: uuid.UUID, shops: frozenset[uuid.UUID] | None) -> int:
        stmt = (select(func.count()).select_from(m.AlertRow).outerjoin(m.AlertReadRow, self._read(user_id))
                .where(self._mine(account_id, shops), m.AlertReadRow.alert_id.is_(None)))
        return int((await self.s.execute(stmt)).scalar_one())

    async def mark_read(self, account_id: uuid.UUID, user_id: uuid.UUID, alert_ids: Sequence[uuid.UUID] | None,
                        at: dt.datetime, shops: frozenset[uuid.UUID] | None) -> None:
        stmt = (select(m.AlertRow.id).outerjoin(m.AlertReadRow, self._read(user_id))
                .where(self._mine(account_id, shops), m.AlertReadRow.alert_id.is_(None)))
        if alert_ids is not None:
            stmt = stmt.where(m.AlertRow.id.in_(list(alert_ids)))
        for alert_id in (await self.s.execute(stmt)).scalars().all():
            self.s.add(m.AlertReadRow(alert_id=alert_id, user_id=user_id, read_at=at))
        await self.s.flush()

    async def created_between(self, account_id: uuid.UUID, since: dt.datetime, until: dt.datetime) -> list[Alert]:
        stmt = (select(m.AlertRow).where(m.AlertRow.account_id == account_id, m.AlertRow.created_at >= since,
                                         m.AlertRow.created_at < until).order_by(m.AlertRow.created_at, m.AlertRow.id))
        return [_alert(r) for r in (await self.s.execute(stmt)).scalars()]

    async def accounts_with_alerts(self, since: dt.datetime, until: dt.datetime) -> list[uuid.UUID]:
        stmt = select(m.AlertRow.account_id).where(m.AlertRow.created_at >= since,
                                                   m.AlertRow.created_at < until).distinct()
        return list((await self.s.execute(stmt)).scalars())

    async def delete_account(self, account_id: uuid.UUID) -> None:  # not in the port: tests' clean-up
        await self.s.execute(delete(m.AlertRow).where(m.AlertRow.account_id == account_id))
