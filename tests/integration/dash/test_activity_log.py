"""Issue 16, acceptance 4: the team activity log records costs and expenses changed, shops connected, keys rotated,
members invited and removed, mappings (shop → legal entity) changed and payments, with who, when and what; a
member of account B never sees account A's log, neither on the page nor by naming A's member in the filter."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

import msgspec
import pytest

from stpulse.application.accounts import activity, legal_entities, teams
from stpulse.application.accounts.actor import Actor
from stpulse.application.costs import cost_book, expenses
from stpulse.application.ozon import shops
from stpulse.domain.accounts.activity import ActivityKind
from stpulse.domain.accounts.users import Membership, Role
from stpulse.entrypoints.bootstrap import bootstrap
from stpulse.entrypoints.settings import Settings
from stpulse.entrypoints.web.app import create_app
from tests.fakes import FixedClock, MemoryMailer, PlainHasher, RecordingQueue, ReverseBox
from tests.integration.conftest import http_client
from tests.integration.web_helpers import sign_in
from tests.sandbox_shop import connect, new_actor, ozon_factory, sandbox_app
from tests.services import REDIS_URL, truncate_all

NOW = dt.datetime(2026, 10, 5, 9, 30, tzinfo=dt.UTC)
SHOPS = [("761001", "key-761001", 1, "small")]


@pytest.fixture
async def container(pg_url: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    await truncate_all(pg_url)
    settings = Settings(mode="production", database_url=pg_url, redis_url=REDIS_URL, data_dir=tmp_path,
                        base_url="http://testserver.local", embedded_worker=False)
    c = bootstrap(settings, clock=FixedClock(NOW), mailer=MemoryMailer(), hasher=PlainHasher(), secrets=ReverseBox(),
                  jobs=RecordingQueue(), ozon=ozon_factory(sandbox_app(SHOPS)))
    yield c
    await c.close()


async def _member(deps, owner: Actor, email: str, role: str) -> Actor:  # type: ignore[no-untyped-def]
    """A confirmed user who is also a member of the owner's account with `role`."""
    member = await new_actor(deps, email)
    async with deps.uow() as uow:
        membership = Membership(id=uuid.uuid4(), account_id=owner.account_id, user_id=member.user.id, role=Role(role))
        await uow.memberships.add(membership)
        await uow.users.update(msgspec.structs.replace(member.user, email_confirmed_at=NOW))
        await uow.commit()
    return Actor(user=member.user, account=owner.account, membership=membership)


async def _confirm(deps, actor: Actor) -> None:  # type: ignore[no-untyped-def]
    async with deps.uow() as uow:
        await uow.users.update(msgspec.structs.replace(actor.user, email_confirmed_at=NOW))
        await uow.commit()


async def test_each_action_is_logged_with_who_when_what_and_b_never_sees_a(container) -> None:  # type: ignore[no-untyped-def]
    deps = container.deps
    owner = await new_actor(deps, "owner-a@example.ru")
    await _confirm(deps, owner)
    shop_id = await connect(deps, owner, "761001", "key-761001", "Магазин А")
    await shops.rotate_key(deps, owner, shop_id, shops.RotateKey(api_key="key-761001"))
    await cost_book.save_cost(deps, owner, cost_book.CostForm(offer_id="SKU-1", effective_from="2026-09-01",
                                                              purchase="120,50"))
    await cost_book.delete_cost(deps, owner, "SKU-1", dt.date(2026, 9, 1))
    record = await expenses.add_expense(deps, owner, expenses.ExpenseForm(month="2026-09", article="Аренда",
                                                                          amount="15000"))
    await expenses.delete_expense(deps, owner, record.id)
    entity = await legal_entities.add_legal_entity(deps, owner, legal_entities.LegalEntityForm(
        kind="ip", name="ИП Иванов", inn="500100732259", tax_regime="usn_income", tax_rate_percent="6", vat_rate="0"))
    await legal_entities.link_shop(deps, owner, shop_id, entity.id)
    invitation = await teams.invite_member(deps, owner, teams.Invite(email="gone@example.ru", role="manager"))
    await teams.revoke_invitation(deps, owner, invitation.id)
    analyst_a = await _member(deps, owner, "analyst-a@example.ru", "analyst")
    await teams.change_member(deps, owner, analyst_a.membership.id, "analyst", [shop_id])
    await teams.remove_member(deps, owner, analyst_a.membership.id)

    log = await activity.activity(deps, owner, activity.ActivityFilter())
    actions = [line.action for line in log.lines]
    for action in ("shop.connect", "shop.rotate_key", "cost.save", "cost.delete", "expense.add", "expense.delete",
                   "shop.legal_entity", "team.invite", "team.invite_revoke", "team.change", "team.remove"):
        assert action in actions, action
    by_action = {line.action: line for line in log.lines}
    assert by_action["cost.save"].who == "Продавец (owner-a@example.ru)" and by_action["cost.save"].at == NOW
    assert "SKU-1" in by_action["cost.save"].what
    assert "Аренда" in by_action["expense.add"].what and "15" in by_action["expense.add"].what
    assert by_action["shop.connect"].what == "Магазин А (Client-Id 761001)"
    assert by_action["shop.legal_entity"].what == "Магазин А → ИП Иванов"
    assert "analyst-a@example.ru" in by_action["team.remove"].what
    assert by_action["shop.rotate_key"].kind is ActivityKind.KEYS

    # the filters: by kind, by person, by dates (Moscow days)
    keys = await activity.activity(deps, owner, activity.ActivityFilter(kind="keys"))
    assert [line.action for line in keys.lines] == ["shop.rotate_key"]
    mine = await activity.activity(deps, owner, activity.ActivityFilter(member=owner.user.id))
    assert mine.total == log.total
    assert (await activity.activity(deps, owner, activity.ActivityFilter(member=analyst_a.user.id))).total == 0
    assert (await activity.activity(deps, owner, activity.ActivityFilter(first=dt.date(2026, 10, 6)))).total == 0
    assert (await activity.activity(deps, owner, activity.ActivityFilter(
        first=dt.date(2026, 10, 5), last=dt.date(2026, 10, 5)))).total == log.total

    # account B: its analyst sees its own (empty) log, never A's — not even by naming A's owner
    owner_b = await new_actor(deps, "owner-b@example.ru")
    analyst_b = await _member(deps, owner_b, "analyst-b@example.ru", "analyst")
    seen_b = await activity.activity(deps, analyst_b, activity.ActivityFilter())
    assert all("owner-a" not in line.who and "Магазин А" not in line.what for line in seen_b.lines)
    assert (await activity.activity(deps, analyst_b, activity.ActivityFilter(member=owner.user.id))).total == 0

    app = create_app(container.settings, container)
    async with http_client(app) as browser:
        resp = await sign_in(browser, "analyst-b@example.ru", "password-12345")
        assert resp.status_code in (302, 303), resp.text[-3000:]
        page = await browser.get("/app/activity")
        assert page.status_code == 200 and "Журнал действий" in page.text
        assert "Магазин А" not in page.text and "owner-a@example.ru" not in page.text
        forged = await browser.get(f"/app/activity?member={owner.user.id}")
        assert forged.status_code == 200 and "Магазин А" not in forged.text
        bad = await browser.get("/app/activity?first=31.02.2026")
        assert bad.status_code == 422 and "ГГГГ-ММ-ДД" in bad.text
    async with http_client(app) as browser:
        await sign_in(browser, "owner-a@example.ru", "password-12345")
        page = await browser.get("/app/activity?kind=shops")
        assert page.status_code == 200 and "Магазин подключён" in page.text and "Аренда" not in page.text
