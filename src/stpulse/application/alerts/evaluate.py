"""Evaluate an account's alert rules (after each sync of one of its shops): gather the facts — report figures
through the reports' own use case (never their maths again), the shops, the ledger's queue, the subscription —
run the pure rules, store each new cause once and e-mail the urgent ones at once to the members who chose so."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from typing import Any

from stpulse.application.accounts.actor import Actor
from stpulse.application.alerts.deps import AlertsDeps, AlertsUnitOfWork
from stpulse.application.alerts.ports import Alert
from stpulse.application.kernel.deps import new_id
from stpulse.application.reports.views import ReportRequest, build_report
from stpulse.domain.alerts.rules import (
    RULES,
    BillingState,
    Channel,
    Facts,
    Finding,
    LosingSku,
    RuleCode,
    Setting,
    StaleShop,
    Unmapped,
    default_settings,
    evaluate,
)
from stpulse.domain.kernel.moscow import as_moscow
from stpulse.domain.kernel.period import month_text, period_label
from stpulse.domain.ledger.shops import ShopStatus
from stpulse.domain.reports.table import Table

log = logging.getLogger(__name__)


def _month_of(day: dt.date) -> int:
    return (day.year - 1970) * 12 + day.month - 1


async def owner_actor(uow: AlertsUnitOfWork, account_id: uuid.UUID) -> Actor | None:
    """The account's owner acting in it (sees every shop): the rules read the whole account."""
    account = await uow.accounts.get(account_id)
    if account is None:
        return None
    owner = await uow.users.get(account.owner_id)
    membership = next((m for m in await uow.memberships.for_account(account_id) if m.user_id == account.owner_id), None)
    return Actor(user=owner, account=account, membership=membership) if owner and membership else None


async def settings_of(uow: AlertsUnitOfWork, account_id: uuid.UUID) -> dict[RuleCode, Setting]:
    return default_settings() | await uow.alerts.settings(account_id)


def _values(table: Table | None, code: str) -> tuple[int | None, ...]:
    if table is None:
        return ()
    try:
        return table.row(code).values
    except KeyError:
        return ()


def _share(num: int | None, den: int | None) -> int | None:
    return None if num is None or not den else abs(num) * 10000 // den


async def gather(deps: AlertsDeps, actor: Actor, settings: dict[RuleCode, Setting]) -> Facts:
    now = deps.clock.now()
    today = as_moscow(now).date()
    month = _month_of(today)
    async with deps.uow() as uow:
        shops = await uow.shops.for_account(actor.account_id)
        # the account's own shops' unmapped types, never the whole platform's queue
        unmapped = await uow.ledger.unmapped(await uow.ledger.mapping(), [s.id for s in shops]) if shops else []
        account = actor.account
        sub = await uow.subscriptions.get(account.owner_id)
    facts: dict[str, Any] = {"now": now, "month": month_text(month)}
    limit = dt.timedelta(hours=settings[RuleCode.SYNC_FAILING].threshold)
    facts["shops"] = tuple(StaleShop(shop_id=str(s.id), name=s.name, last_synced_at=s.last_synced_at,
                                     failing=s.status is ShopStatus.KEY_INVALID or s.status is not ShopStatus.PAUSED
                                     and (s.last_synced_at is None and s.created_at is not None
                                          and now - s.created_at > limit
                                          or s.last_synced_at is not None and now - s.last_synced_at > limit))
                           for s in shops)
    facts["unmapped"] = tuple(Unmapped(type_id=u.type_id, name=u.name, lines=u.lines) for u in unmapped)
    if sub is not None:
        facts["billing"] = BillingState(status=sub.status_at(now).value, ends_at=sub.ends_at)
    if shops:
        pnl = (await build_report(deps, actor, "pnl", ReportRequest(month_from=month_text(month - 1),
                                                                    month_to=month_text(month)))).table
        margin, revenue, returns = (_values(pnl, c) for c in ("profitability", "revenue", "returns"))
        if len(margin) == 2:
            facts["prev_margin_bp"], facts["margin_bp"] = margin
            facts["prev_return_share_bp"] = _share(returns[0], revenue[0])
            facts["return_share_bp"] = _share(returns[1], revenue[1])
        first = _month_of(today - dt.timedelta(days=settings[RuleCode.LOSS_SKU].threshold))
        losing: list[LosingSku] = []
        for shop in shops:  # shop by shop: each losing SKU's alert is its own shop's
            unit = (await build_report(deps, actor, "unit", ReportRequest(
                shop_ids=(shop.id,), month_from=month_text(first), month_to=month_text(month)))).table
            if unit is not None:
                profit = next(i for i, c in enumerate(unit.columns) if c.code == "profit")
                losing += [LosingSku(code=r.code, label=r.label, profit=r.values[profit] or 0, shop_id=str(shop.id))
                           for r in unit.rows if ":" in r.code and (r.values[profit] or 0) < 0]
        facts["losing_skus"] = tuple(losing)
        facts["loss_period"] = period_label(first, month)
    return Facts(**facts)


async def evaluate_account(deps: AlertsDeps, account_id: uuid.UUID) -> list[Alert]:
    """The job after each sync: the new alerts of the account (causes already alerted are skipped)."""
    async with deps.uow() as uow:
        actor = await owner_actor(uow, account_id)
        settings = await settings_of(uow, account_id)
    if actor is None:
        return []
    findings = evaluate(await gather(deps, actor, settings), settings)
    return await store_findings(deps, account_id, findings)


async def store_findings(deps: AlertsDeps, account_id: uuid.UUID, findings: list[Finding]) -> list[Alert]:
    now, new = deps.clock.now(), []
    async with deps.uow() as uow:
        for f in findings:
            alert = Alert(id=new_id(), account_id=account_id, rule=f.rule, cause=f.cause, title=f.title, body=f.body,
                          url=f.url, urgent=f.urgent, created_at=now,
                          shop_id=uuid.UUID(f.shop_id) if f.shop_id else None)
            if await uow.alerts.add_new(alert):
                new.append(alert)
        await uow.commit()
    if new:
        await mail_at_once(deps, account_id, new)
    return new


async def recipients(uow: AlertsUnitOfWork, account_id: uuid.UUID, rule: RuleCode, channel: Channel,
                     shop_id: uuid.UUID | None) -> list[tuple[uuid.UUID, str]]:
    """(user id, e-mail) of the members whose channel for the rule is `channel` and who may see what the alert
    concerns: its shop, or (None) the account as a whole — only the members who see every shop."""
    chosen = await uow.alerts.channels(account_id)
    out = []
    for m in await uow.memberships.for_account(account_id):
        if not (m.shop_ids is None or shop_id is not None and m.sees_shop(shop_id)):
            continue
        if chosen.get((m.user_id, rule), RULES[rule].default_channel) is channel:
            user = await uow.users.get(m.user_id)
            if user is not None:
                out.append((user.id, user.email))
    return out


async def mail_at_once(deps: AlertsDeps, account_id: uuid.UUID, alerts: list[Alert]) -> int:
    sent = 0
    for alert in alerts:
        async with deps.uow() as uow:
            people = await recipients(uow, account_id, alert.rule, Channel.EMAIL, alert.shop_id)
        for user_id, email in people:
            async with deps.uow() as uow:
                if not await uow.notices.claim(f"alert:{alert.id}:{user_id}", deps.clock.now()):
                    continue
                mail = deps.mail_templates.render("alert", {"alert": alert, "base": deps.config.base_url})
                await deps.mailer.send(email, mail.subject, mail.text, mail.html)
                await uow.commit()
                sent += 1
    return sent
