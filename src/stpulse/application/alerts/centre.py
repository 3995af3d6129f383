"""The notification centre (each member's alerts with unread marks) and the rule settings: thresholds per account
(owner and managers edit them), the channel per rule per member (each member chooses their own)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import msgspec

from stpulse.application.accounts.actor import Actor
from stpulse.application.alerts.deps import AlertsDeps
from stpulse.application.alerts.evaluate import settings_of
from stpulse.application.alerts.ports import SeenAlert
from stpulse.application.billing.policy import require_writable
from stpulse.domain.accounts.users import Permission
from stpulse.domain.alerts.rules import RULES, Channel, Rule, RuleCode, Setting
from stpulse.domain.kernel.errors import ValidationError

PAGE_SIZE = 30


class Centre(msgspec.Struct, frozen=True, kw_only=True):
    items: list[SeenAlert]
    total: int
    unread: int
    page: int
    pages: int


class RuleRow(msgspec.Struct, frozen=True, kw_only=True):
    rule: Rule
    setting: Setting
    channel: Channel


async def centre(deps: AlertsDeps, actor: Actor, page: int = 1) -> Centre:
    actor.membership.require(Permission.VIEW)
    page = max(page, 1)
    async with deps.uow() as uow:
        items, total = await uow.alerts.for_user(actor.account_id, actor.user.id, (page - 1) * PAGE_SIZE, PAGE_SIZE,
                                              actor.membership.shop_ids)
        unread = await uow.alerts.unread(actor.account_id, actor.user.id, actor.membership.shop_ids)
    return Centre(items=items, total=total, unread=unread, page=page, pages=max(1, -(-total // PAGE_SIZE)))


async def unread_count(deps: AlertsDeps, actor: Actor) -> int:
    async with deps.uow() as uow:
        return await uow.alerts.unread(actor.account_id, actor.user.id, actor.membership.shop_ids)


async def mark_read(deps: AlertsDeps, actor: Actor, alert_ids: Sequence[uuid.UUID] | None) -> None:
    actor.membership.require(Permission.VIEW)
    async with deps.uow() as uow:
        await uow.alerts.mark_read(actor.account_id, actor.user.id, alert_ids, deps.clock.now(),
                                   actor.membership.shop_ids)
        await uow.commit()


async def rule_rows(deps: AlertsDeps, actor: Actor) -> list[RuleRow]:
    actor.membership.require(Permission.VIEW)
    async with deps.uow() as uow:
        settings = await settings_of(uow, actor.account_id)
        chosen = await uow.alerts.channels(actor.account_id)
    return [RuleRow(rule=r, setting=settings[code], channel=chosen.get((actor.user.id, code), r.default_channel))
            for code, r in RULES.items()]


class RuleForm(msgspec.Struct, frozen=True, kw_only=True):
    threshold: str = ""
    enabled: bool = False
    channel: str = ""


async def save_rule(deps: AlertsDeps, actor: Actor, code: str, form: RuleForm) -> RuleRow:
    """The member's channel always; the threshold and on/off only for those who edit the account's data."""
    try:
        rule = RULES[RuleCode(code)]
        channel = Channel(form.channel)
    except ValueError:
        raise ValidationError({"channel": "Выберите правило и способ уведомления из списка"}) from None
    can_edit = actor.membership.can(Permission.EDIT_DATA)
    async with deps.uow() as uow:
        await require_writable(uow, actor.account_id, deps.clock.now())  # a read-only account keeps its rules
        setting = (await settings_of(uow, actor.account_id))[rule.code]
        if can_edit:
            try:
                threshold = int(form.threshold.strip())
            except ValueError:
                raise ValidationError({"threshold": "Введите целое число"}) from None
            if not rule.low <= threshold <= rule.high:
                raise ValidationError({"threshold": f"Порог — от {rule.low} до {rule.high}"})
            setting = Setting(rule=rule.code, threshold=threshold, enabled=form.enabled)
            await uow.alerts.save_setting(actor.account_id, setting)
        await uow.alerts.save_channel(actor.account_id, actor.user.id, rule.code, channel)
        await uow.commit()
    return RuleRow(rule=rule, setting=setting, channel=channel)
