"""Issue 16, the house rule on the charts (PostgreSQL): a member restricted to one shop gets only that shop's numbers
in the chart JSON — in every view of «Выручка, прибыль и заказы» and in the other charts — even when the request
names the other shop; the owner's chart of all shops is larger."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import msgspec
import pytest

from stpulse.application.accounts.actor import Actor
from stpulse.application.dashboard import charts as svc
from stpulse.application.kernel.deps import new_id
from stpulse.application.ozon.sync import sync_shop
from stpulse.domain.accounts.users import Membership, Role
from stpulse.entrypoints.bootstrap import bootstrap
from stpulse.entrypoints.settings import Settings
from stpulse.entrypoints.web.app import create_app
from tests.fakes import FixedClock, MemoryMailer, PlainHasher, RecordingQueue, ReverseBox
from tests.integration.conftest import http_client
from tests.integration.web_helpers import post_form, sign_in
from tests.sandbox_shop import connect, new_actor, ozon_factory, sandbox_app
from tests.services import REDIS_URL, truncate_all

TODAY = dt.datetime(2026, 9, 30, 9, 0, tzinfo=dt.UTC)
SHOPS = [("762201", "key-762201", 31, "small"), ("762202", "key-762202", 32, "small")]


@pytest.fixture
async def container(pg_url: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    await truncate_all(pg_url)
    settings = Settings(mode="production", database_url=pg_url, redis_url=REDIS_URL, data_dir=tmp_path,
                        base_url="http://testserver.local", embedded_worker=False, sync_backfill_months=1)
    c = bootstrap(settings, clock=FixedClock(TODAY), mailer=MemoryMailer(), hasher=PlainHasher(), secrets=ReverseBox(),
                  jobs=RecordingQueue(), ozon=ozon_factory(sandbox_app(SHOPS)))
    yield c
    await c.close()


def _numbers(charts: list[svc.Chart]) -> list[object]:
    """What the charts draw (the links name the shops and are compared apart)."""
    return [(c.code, c.labels, [s.values for s in c.series]) for c in charts]


async def test_a_restricted_member_gets_only_their_shops_numbers(container) -> None:  # type: ignore[no-untyped-def]
    deps = container.deps
    owner = await new_actor(deps, "owner-charts@example.ru")
    shop_a = await connect(deps, owner, SHOPS[0][0], SHOPS[0][1], "Магазин А")
    shop_b = await connect(deps, owner, SHOPS[1][0], SHOPS[1][1], "Магазин Б")
    for shop in (shop_a, shop_b):
        await sync_shop(deps, shop)
    member_user = (await new_actor(deps, "member-charts@example.ru")).user
    membership = Membership(id=new_id(), account_id=owner.account_id, user_id=member_user.id, role=Role.MANAGER,
                            shop_ids=frozenset({shop_a}))
    async with deps.uow() as uow:
        await uow.memberships.add(membership)
        await uow.users.update(msgspec.structs.replace(member_user, email_confirmed_at=TODAY))
        await uow.commit()
    member = Actor(user=member_user, account=owner.account, membership=membership)

    for view in ("day", "week", "month"):
        only_a = await svc.charts(deps, owner, (shop_a,), view=view)
        mine = await svc.charts(deps, member, view=view)
        asked_b = await svc.charts(deps, member, (shop_b,), view=view)  # a link naming the other shop
        both = await svc.charts(deps, owner, view=view)
        assert _numbers(mine) == _numbers(only_a) == _numbers(asked_b)
        for chart in mine + asked_b:
            assert str(shop_b) not in chart.url and not any(str(shop_b) in link for link in chart.links)
        [sales_mine], [sales_both] = ([c for c in x if c.code == "sales"] for x in (mine, both))
        revenue = lambda chart: sum(v or 0 for v in chart.series[0].values)  # noqa: E731
        assert 0 < revenue(sales_mine) < revenue(sales_both)  # shop B sells too: the owner's sum is larger

    # the same over HTTP: the member's chart JSON, asked for shop B, is shop A's
    async with http_client(create_app(container.settings, container)) as browser:
        await sign_in(browser, "member-charts@example.ru", "password-12345")
        switched = await post_form(browser, f"/app/switch/{owner.account_id}", {}, follow_redirects=False)
        assert switched.status_code == 303
        for view in ("day", "month"):
            answer = await browser.get(f"/app/dashboard/charts.json?chart=sales&view={view}&shops={shop_b}")
            assert answer.status_code == 200
            [chart] = answer.json()["charts"]
            [expected] = await svc.charts(deps, owner, (shop_a,), view=view, only=("sales",))
            assert [s["values"] for s in chart["series"]] == [s.values for s in expected.series]
            assert str(shop_b) not in answer.text
