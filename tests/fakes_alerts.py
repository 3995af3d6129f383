"""Alerts in the in-memory store (`Store.__dict__["alerts"]`), like adapters/db/alerts."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from stpulse.application.alerts.ports import Alert, SeenAlert
from stpulse.domain.alerts.rules import Channel, RuleCode, Setting
from tests.fakes import Store


class FakeAlerts:
    def __init__(self, store: Store) -> None:
        self.st = store

    def _t(self) -> dict[str, Any]:
        return self.st.__dict__.setdefault("alerts", {"settings": {}, "channels": {}, "alerts": {}, "reads": set()})

    async def settings(self, account_id: uuid.UUID) -> dict[RuleCode, Setting]:
        return {rule: s for (acc, rule), s in self._t()["settings"].items() if acc == account_id}

    async def save_setting(self, account_id: uuid.UUID, setting: Setting) -> None:
        self._t()["settings"][(account_id, setting.rule)] = setting

    async def channels(self, account_id: uuid.UUID) -> dict[tuple[uuid.UUID, RuleCode], Channel]:
        return {(user, rule): c for (acc, user, rule), c in self._t()["channels"].items() if acc == account_id}

    async def save_channel(self, account_id: uuid.UUID, user_id: uuid.UUID, rule: RuleCode, channel: Channel) -> None:
        self._t()["channels"][(account_id, user_id, rule)] = channel

    async def add_new(self, alert: Alert) -> bool:
        alerts = self._t()["alerts"]
        if any(a.account_id == alert.account_id and a.cause == alert.cause for a in alerts.values()):
            return False
        alerts[alert.id] = alert
        return True

    @staticmethod
    def _seen(a: Alert, shops: frozenset[uuid.UUID] | None) -> bool:
        return shops is None or (a.shop_id is not None and a.shop_id in shops)

    async def for_user(self, account_id: uuid.UUID, user_id: uuid.UUID, offset: int, limit: int,
                       shops: frozenset[uuid.UUID] | None) -> tuple[list[SeenAlert], int]:
        mine = sorted((a for a in self._t()["alerts"].values() if a.account_id == account_id and self._seen(a, shops)),
                      key=lambda a: a.created_at, reverse=True)
        reads = self._t()["reads"]
        return [SeenAlert(alert=a, read=(user_id, a.id) in reads) for a in mine[offset:offset + limit]], len(mine)

    async def unread(self, account_id: uuid.UUID, user_id: uuid.UUID, shops: frozenset[uuid.UUID] | None) -> int:
        reads = self._t()["reads"]
        return sum(1 for a in self._t()["alerts"].values()
                   if a.account_id == account_id and self._seen(a, shops) and (user_id, a.id) not in reads)

    async def mark_read(self, account_id: uuid.UUID, user_id: uuid.UUID, alert_ids: Sequence[uuid.UUID] | None,
                        at: dt.datetime, shops: frozenset[uuid.UUID] | None) -> None:
        for a in self._t()["alerts"].values():
            if a.account_id == account_id and self._seen(a, shops) and (alert_ids is None or a.id in alert_ids):
                self._t()["reads"].add((user_id, a.id))

    async def created_between(self, account_id: uuid.UUID, since: dt.datetime, until: dt.datetime) -> list[Alert]:
        return sorted((a for a in self._t()["alerts"].values()
                       if a.account_id == account_id and since <= a.created_at < until), key=lambda a: a.created_at)

    async def accounts_with_alerts(self, since: dt.datetime, until: dt.datetime) -> list[uuid.UUID]:
        return sorted({a.account_id for a in self._t()["alerts"].values() if since <= a.created_at < until}, key=str)
