"""Issue 16, the house rule on alerts (PostgreSQL): every alert about a shop carries its shop, and a member restricted
to one shop never sees — on the notification page, in the unread count, in an e-mail or in the daily digest — an
alert about another shop nor an account-wide one; the owner (every shop) sees them all."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import msgspec
import pytest

from stpulse.application.accounts.actor import Actor
from stpulse.application.alerts import centre, digest
from stpulse.application.alerts.evaluate import evaluate_account, store_findings
from stpulse.application.kernel.deps import new_id
from stpulse.domain.accounts.users import Membership, Role
from stpulse.domain.alerts.rules import Finding, RuleCode
from stpulse.entrypoints.bootstrap import bootstrap
from stpulse.entrypoints.settings import Settings
from stpulse.entrypoints.web.app import create_app
from tests.fakes import FixedClock, MemoryMailer, PlainHasher, RecordingQueue, ReverseBox
from tests.integration.conftest import http_client
from tests.integration.web_helpers import post_form, sign_in
from tests.sandbox_shop import connect, new_actor, ozon_factory, sandbox_app
from tests.services import REDIS_URL, truncate_all

TODAY = dt.datetime(2026, 9, 30, 9, 0, tzinfo=dt.UTC)
SHOPS = [("762101", "key-762101", 21, "small"), ("762102", "key-762102", 22, "small")]


@pytest.fixture
async def container(pg_url: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    await truncate_all(pg_url)
    settings = Settings(mode="production", database_url=pg_url, redis_url=REDIS_URL, data_dir=tmp_path,
                        base_url="http://testserver.local", embedded_worker=False, sync_backfill_months=2)
    c = bootstrap(settings, clock=FixedClock(TODAY), mailer=MemoryMailer(), hasher=PlainHasher(), secrets=ReverseBox(),
                  jobs=RecordingQueue(), ozon=ozon_factory(sandbox_app(SHOPS)))
    yield c
    await c.close()


async def test_a_restricted_member_never_gets_another_shops_or_an_account_wide_alert(container) -> None:  # type: ignore[no-untyped-def]
    deps = container.deps
    mailer: MemoryMailer = deps.mailer  # type: ignore[assignment]
    owner = await new_actor(deps, "owner-sa@example.ru")
    shop_a = await connect(deps, owner, "762101", "key-762101", "Магазин А")
    shop_b = await connect(deps, owner, "762102", "key-762102", "Магазин Б")
    # a manager restricted to shop A (their own sign-up account aside)
    member_user = (await new_actor(deps, "member-sa@example.ru")).user
    membership = Membership(id=new_id(), account_id=owner.account_id, user_id=member_user.id, role=Role.MANAGER,
                            shop_ids=frozenset({shop_a}))
    async with deps.uow() as uow:
        await uow.memberships.add(membership)
        for u in (owner.user, member_user):
            await uow.users.update(msgspec.structs.replace(u, email_confirmed_at=TODAY))
        await uow.commit()
    member = Actor(user=member_user, account=owner.account, membership=membership)

    # neither shop ever synced: 8 hours on, both fail (urgent: e-mailed at once), each alert carries its shop
    before = len(mailer.sent)
    later = dataclasses.replace(deps, clock=FixedClock(TODAY + dt.timedelta(hours=8)))
    fired = await evaluate_account(later, owner.account_id)
    failing = {a.shop_id: a for a in fired if a.rule is RuleCode.SYNC_FAILING}
    assert set(failing) == {shop_a, shop_b}
    # and the account as a whole: a digest alert with no shop (unread by anyone yet)
    [wide] = await store_findings(later, owner.account_id, [Finding(
        rule=RuleCode.MARGIN_DROP, cause="margin_drop:2026-09", title="Рентабельность упала на 9,0 п. п.",
        body="В этом месяце 1,0 %, в прошлом 10,0 %", url="/app/reports/pnl", urgent=False)])
    assert wide.shop_id is None

    # e-mails at once: the owner got both shops', the member only shop A's
    mails = [(to, subject) for to, subject, _ in mailer.sent[before:]]
    assert ("owner-sa@example.ru", failing[shop_a].title) in mails
    assert ("owner-sa@example.ru", failing[shop_b].title) in mails
    assert ("member-sa@example.ru", failing[shop_a].title) in mails
    assert not [m for m in mails if m[0] == "member-sa@example.ru" and m[1] != failing[shop_a].title]

    # the centre and the unread count
    mine = await centre.centre(deps, member)
    assert [i.alert.id for i in mine.items] == [failing[shop_a].id] and mine.unread == mine.total == 1
    assert await centre.unread_count(deps, member) == 1
    everything = await centre.centre(deps, owner)
    assert {i.alert.id for i in everything.items} >= {failing[shop_a].id, failing[shop_b].id, wide.id}
    assert await centre.unread_count(deps, owner) == everything.total
    # marking «all read» reaches only what the member sees; another shop's alert by id does nothing
    await centre.mark_read(deps, member, [failing[shop_b].id, wide.id])
    assert await centre.unread_count(deps, owner) == everything.total

    # the digest of the day: the account-wide alert goes to the owner only
    sent = len(mailer.sent)
    assert await digest.send_digests(deps, TODAY.date()) == 1
    [(to, _subject, body)] = mailer.sent[sent:]
    assert to == "owner-sa@example.ru" and wide.title in body

    # the pages, signed in as the member: neither shop B's alert nor the account-wide one, the count is 1
    async with http_client(create_app(container.settings, container)) as browser:
        await sign_in(browser, "member-sa@example.ru", "password-12345")
        switched = await post_form(browser, f"/app/switch/{owner.account_id}", {}, follow_redirects=False)
        assert switched.status_code == 303
        page = await browser.get("/app/alerts")
        assert page.status_code == 200 and failing[shop_a].title in page.text
        assert failing[shop_b].title not in page.text and wide.title not in page.text
        badge = await browser.get("/app/alerts/badge")
        assert ">1<" in badge.text
