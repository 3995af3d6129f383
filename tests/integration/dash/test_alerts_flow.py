"""Issue 16, acceptance 2 end to end on PostgreSQL and a synced sandbox shop: the rules are evaluated after a sync
(the actor the worker runs), a history built to trip a rule makes its alert — a SKU made loss-making by its cost
price, the margin falling against last month, a sync failing for hours — and one built not to stays quiet; no alert
fires twice for the same cause; an urgent alert is e-mailed at once to whoever chose it; the digest lists exactly
the day's alerts; the notification centre counts unread alerts, marks them read, and account B never sees A's."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import msgspec
import pytest

from stpulse.application.alerts import centre, digest
from stpulse.application.alerts.evaluate import evaluate_account
from stpulse.application.costs import cost_book
from stpulse.application.ozon.sync import sync_shop
from stpulse.application.reports.views import ReportRequest, build_report
from stpulse.domain.alerts.rules import RuleCode
from stpulse.entrypoints.bootstrap import bootstrap
from stpulse.entrypoints.settings import Settings
from stpulse.entrypoints.web.app import create_app
from stpulse.entrypoints.worker.actors import ACTORS
from tests.fakes import FixedClock, MemoryMailer, PlainHasher, RecordingQueue, ReverseBox
from tests.integration.conftest import http_client
from tests.integration.web_helpers import post_form, sign_in
from tests.sandbox_shop import connect, new_actor, ozon_factory, sandbox_app
from tests.services import REDIS_URL, truncate_all

TODAY = dt.datetime(2026, 9, 30, 9, 0, tzinfo=dt.UTC)  # the sandbox's today
SHOPS = [("762001", "key-762001", 21, "small")]


@pytest.fixture
async def container(pg_url: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    await truncate_all(pg_url)
    settings = Settings(mode="production", database_url=pg_url, redis_url=REDIS_URL, data_dir=tmp_path,
                        base_url="http://testserver.local", embedded_worker=False, sync_backfill_months=2)
    c = bootstrap(settings, clock=FixedClock(TODAY), mailer=MemoryMailer(), hasher=PlainHasher(), secrets=ReverseBox(),
                  jobs=RecordingQueue(), ozon=ozon_factory(sandbox_app(SHOPS)))
    yield c
    await c.close()


def at(deps, moment: dt.datetime):  # type: ignore[no-untyped-def]
    return dataclasses.replace(deps, clock=FixedClock(moment))


async def test_rules_fire_on_a_tripping_history_once_and_stay_quiet_otherwise(container) -> None:  # type: ignore[no-untyped-def]
    deps = container.deps
    owner = await new_actor(deps, "alerts-a@example.ru")
    shop_id = await connect(deps, owner, "762001", "key-762001", "Магазин А")
    await sync_shop(deps, shop_id)
    mailer: MemoryMailer = deps.mailer  # type: ignore[assignment]

    # the job the worker runs after the sync; the quiet history: costs as Ozon sold them (none), synced just now
    await ACTORS["evaluate_alerts"][0](lambda: deps, shop_id=str(shop_id))
    quiet = {a.alert.rule for a in (await centre.centre(deps, owner)).items}
    assert RuleCode.SYNC_FAILING not in quiet and RuleCode.MARGIN_DROP not in quiet and RuleCode.BILLING not in quiet
    before = {a.alert.cause for a in (await centre.centre(deps, owner)).items}

    # the tripping history: one SKU's cost price from 1 September is ten times what it sells for
    unit = (await build_report(deps, owner, "unit", ReportRequest(month_from="2026-09", month_to="2026-09"))).table
    assert unit is not None
    sold = next(i for i, c in enumerate(unit.columns) if c.code == "avg_price")
    profit = next(i for i, c in enumerate(unit.columns) if c.code == "profit")
    row = max((r for r in unit.rows if ":" in r.code), key=lambda r: r.values[profit] or 0)
    assert (row.values[profit] or 0) > 0
    offer_id = row.label.split(" — ")[0]
    price = (row.values[sold] or 0) * 10
    await cost_book.save_cost(deps, owner, cost_book.CostForm(offer_id=offer_id, effective_from="2026-09-01",
                                                              purchase=f"{price // 100}"))
    await ACTORS["evaluate_alerts"][0](lambda: deps, shop_id=str(shop_id))
    listing = await centre.centre(deps, owner)
    new = [a.alert for a in listing.items if a.alert.cause not in before]
    assert {a.rule for a in new} >= {RuleCode.LOSS_SKU, RuleCode.MARGIN_DROP}
    loss = [a for a in new if a.rule is RuleCode.LOSS_SKU]
    assert [a.title for a in loss] == [f"Убыточный товар: {row.label}"]
    assert [a.shop_id for a in loss] == [shop_id]  # a shop's alert carries its shop (seen only by who sees it)
    assert listing.unread == listing.total

    # the same cause never fires twice: evaluating again (another sync) adds nothing
    assert await evaluate_account(deps, owner.account_id) == []

    # a sync failing: 3 hours without a successful sync is quiet, 8 hours fires (threshold 6) — urgent, so the
    # owner (urgent rules default to e-mail) gets an e-mail at once, once
    sent = len(mailer.sent)
    assert [a.rule for a in await evaluate_account(at(deps, TODAY + dt.timedelta(hours=3)), owner.account_id)] == []
    fired = await evaluate_account(at(deps, TODAY + dt.timedelta(hours=8)), owner.account_id)
    assert [a.rule for a in fired] == [RuleCode.SYNC_FAILING] and fired[0].urgent
    assert await evaluate_account(at(deps, TODAY + dt.timedelta(hours=9)), owner.account_id) == []
    mails = mailer.sent[sent:]
    assert [(to, subject) for to, subject, _ in mails] == [("alerts-a@example.ru", fired[0].title)]

    # each user chooses per rule: the owner takes the loss rule off the digest
    await centre.save_rule(deps, owner, "loss_sku", centre.RuleForm(threshold="30", enabled=True, channel="app"))

    # the digest of 30 September lists exactly the day's digest alerts (not the urgent one, not the loss rule now)
    day_alerts = [a for a in (await centre.centre(deps, owner)).items
                  if a.alert.created_at.date() == TODAY.date() and not a.alert.urgent and a.alert.rule is not RuleCode.LOSS_SKU]
    sent = len(mailer.sent)
    assert await digest.send_digests(at(deps, TODAY + dt.timedelta(days=1)), TODAY.date()) == 1
    assert await digest.send_digests(at(deps, TODAY + dt.timedelta(days=1)), TODAY.date()) == 0  # once a day
    [(to, subject, body)] = mailer.sent[sent:]
    assert to == "alerts-a@example.ru" and subject == f"Сводка уведомлений за 30.09.2026: {len(day_alerts)}"
    assert sum(line.startswith("— ") for line in body.splitlines()) == len(day_alerts)
    for item in day_alerts:
        assert item.alert.title in body
    assert "Убыточный товар" not in body and fired[0].title not in body
    # the next day's digest has nothing of the 30th
    assert await digest.send_digests(at(deps, TODAY + dt.timedelta(days=2)), (TODAY + dt.timedelta(days=1)).date()) == 0

    # the pages: the centre with its unread count in the menu, the rules with an error next to the field
    async with deps.uow() as uow:
        await uow.users.update(msgspec.structs.replace(owner.user, email_confirmed_at=TODAY))
        await uow.commit()
    async with http_client(create_app(container.settings, container)) as browser:
        await sign_in(browser, "alerts-a@example.ru", "password-12345")
        page = await browser.get("/app/alerts")
        assert page.status_code == 200 and fired[0].title in page.text and 'data-read="no"' in page.text
        assert 'data-hx-get="/app/alerts/badge"' in page.text
        badge = await browser.get("/app/alerts/badge")
        assert f">{(await centre.centre(deps, owner)).unread}<" in badge.text
        rules_page = await browser.get("/app/alerts/rules")
        assert rules_page.status_code == 200 and "Товар в убытке" in rules_page.text
        bad = await post_form(browser, "/app/alerts/rules/margin_drop", {"threshold": "abc", "channel": "digest"})
        assert bad.status_code == 422 and 'data-error="threshold"' in bad.text and "целое число" in bad.text
        first = (await centre.centre(deps, owner)).items[0].alert
        read = await post_form(browser, "/app/alerts/read", {"alert_id": str(first.id)}, follow_redirects=False)
        assert read.status_code == 303 and await centre.unread_count(deps, owner) == listing.total + 1 - 1

    # mark read; account B sees none of A's alerts
    await centre.mark_read(deps, owner, None)
    assert await centre.unread_count(deps, owner) == 0
    other = await new_actor(deps, "alerts-b@example.ru")
    assert (await centre.centre(deps, other)).total == 0
    await centre.mark_read(deps, other, [first.id])  # A's alert by id: nothing happens in A
    assert await centre.unread_count(deps, other) == 0
