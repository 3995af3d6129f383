"""The daily digest: one e-mail per member listing exactly the alerts of the previous Moscow day whose rule the
member receives as a digest; sent once per member and day (the sent log)."""

from __future__ import annotations

import datetime as dt

from stpulse.application.alerts.deps import AlertsDeps
from stpulse.application.alerts.evaluate import recipients
from stpulse.application.alerts.ports import Alert
from stpulse.domain.alerts.rules import Channel
from stpulse.domain.kernel.moscow import MSK, as_moscow


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(day, dt.time(), MSK)
    return start, start + dt.timedelta(days=1)


async def send_digests(deps: AlertsDeps, day: dt.date | None = None) -> int:
    """The digest of `day` (default: yesterday in Moscow); returns how many e-mails went out."""
    day = day or as_moscow(deps.clock.now()).date() - dt.timedelta(days=1)
    since, until = day_bounds(day)
    sent = 0
    async with deps.uow() as uow:
        accounts = await uow.alerts.accounts_with_alerts(since, until)
    for account_id in accounts:
        async with deps.uow() as uow:
            alerts = await uow.alerts.created_between(account_id, since, until)
            per_user: dict[str, list[Alert]] = {}
            for alert in alerts:
                for user_id, email in await recipients(uow, account_id, alert.rule, Channel.DIGEST,
                                                     alert.shop_id):
                    per_user.setdefault(f"{user_id}|{email}", []).append(alert)
        for who, items in per_user.items():
            user_key, email = who.split("|", 1)
            async with deps.uow() as uow:
                if not await uow.notices.claim(f"digest:{account_id}:{user_key}:{day:%Y%m%d}", deps.clock.now()):
                    continue
                mail = deps.mail_templates.render("alert_digest", {"alerts": items, "day": day,
                                                                   "base": deps.config.base_url})
                await deps.mailer.send(email, mail.subject, mail.text, mail.html)
                await uow.commit()
                sent += 1
    return sent
