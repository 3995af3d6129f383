"""Storage of alerts: the account's rule settings, each member's channel per rule, the alerts and who read them."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Protocol

import msgspec

from stpulse.domain.alerts.rules import Channel, RuleCode, Setting


class Alert(msgspec.Struct, frozen=True, kw_only=True):
    id: uuid.UUID
    account_id: uuid.UUID
    rule: RuleCode
    cause: str
    title: str
    body: str
    url: str
    urgent: bool
    created_at: dt.datetime
    shop_id: uuid.UUID | None = None  # the shop it concerns; None: the account as a whole


class SeenAlert(msgspec.Struct, frozen=True, kw_only=True):
    alert: Alert
    read: bool


class AlertRepository(Protocol):
    async def settings(self, account_id: uuid.UUID) -> dict[RuleCode, Setting]:
        """The account's saved settings (rules never saved are absent: their defaults apply)."""

    async def save_setting(self, account_id: uuid.UUID, setting: Setting) -> None: ...
    async def channels(self, account_id: uuid.UUID) -> dict[tuple[uuid.UUID, RuleCode], Channel]:
        """Each member's chosen channel per rule (absent: the rule's default)."""

    async def save_channel(self, account_id: uuid.UUID, user_id: uuid.UUID, rule: RuleCode, channel: Channel) -> None: ...
    async def add_new(self, alert: Alert) -> bool:
        """Store the alert unless the account already has one with its cause; True if stored."""

    # `shops`: the member's shop restriction (Membership.shop_ids) — a restricted member gets only the alerts of
    # those shops, never an account-wide one; None: every alert of the account
    async def for_user(self, account_id: uuid.UUID, user_id: uuid.UUID, offset: int, limit: int,
                       shops: frozenset[uuid.UUID] | None) -> tuple[list[SeenAlert], int]: ...
    async def unread(self, account_id: uuid.UUID, user_id: uuid.UUID, shops: frozenset[uuid.UUID] | None) -> int: ...
    async def mark_read(self, account_id: uuid.UUID, user_id: uuid.UUID, alert_ids: Sequence[uuid.UUID] | None,
                        at: dt.datetime, shops: frozenset[uuid.UUID] | None) -> None:
        """Mark these alerts of the account read for the user (None: all of them)."""

    async def created_between(self, account_id: uuid.UUID, since: dt.datetime, until: dt.datetime) -> list[Alert]: ...
    async def accounts_with_alerts(self, since: dt.datetime, until: dt.datetime) -> list[uuid.UUID]: ...
