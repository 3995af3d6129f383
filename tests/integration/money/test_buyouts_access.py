"""«Выкупы Озоном» (issue 11) reads only what the actor may see: a member restricted to one shop never sees another
shop's buyouts (page, xlsx, JSON API), and account B never reads account A's by naming A's shops."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import re

import openpyxl

from stpulse.adapters.sandbox.ozon.world import SellerWorld
from tests.integration.conftest import http_client
from tests.integration.money.loader import add_shop, load_buyouts, load_lines
from tests.integration.web_helpers import PASSWORD, post_form, sign_in, sign_up
from tests.money_truth import sandbox_buyouts

FIRST, LAST = dt.date(2026, 6, 1), dt.date(2026, 8, 31)
QUERY = "from=2026-06&to=2026-08"


async def _seed(app, client, mailbox, pg_url):  # type: ignore[no-untyped-def]
    await sign_up(client, mailbox, "owner-b@example.ru", "Владелец")
    deps = app.state.container.deps
    async with deps.uow() as uow:
        account_id = (await uow.memberships.for_user((await uow.users.by_email("owner-b@example.ru")).id))[0].account_id
    postings = {}
    for seed, name in ((21, "Свой магазин"), (22, "Чужой магазин")):
        world = SellerWorld(seed, "small")
        shop_id = await add_shop(pg_url, account_id, name, str(seed))
        assert await load_buyouts(pg_url, shop_id, world, FIRST, LAST) > 0
        await load_lines(pg_url, shop_id, list(world.accrual_lines(FIRST, LAST)))
        postings[name] = (shop_id, {r["posting_number"] for _, r in sandbox_buyouts(world, FIRST, LAST)})
    return postings


async def _member(app, owner, mailbox, shop_id):  # type: ignore[no-untyped-def]
    resp = await post_form(owner, "/app/team/invite", {"email": "m@example.ru", "role": "manager",
                                                       "shop_ids": [str(shop_id)]})
    assert resp.status_code == 200, resp.text
    member = http_client(app)
    link = mailbox.last_link("m@example.ru").replace("http://testserver.local", "")
    await member.get(link)
    resp = await post_form(member, "/auth/register", {"email": "m@example.ru", "password": PASSWORD,
                                                      "password_confirm": PASSWORD, "full_name": "Менеджер",
                                                      "consent": "on", "invite_token": link.rsplit("/", 1)[-1]})
    assert resp.status_code in (302, 303), resp.text
    assert (await sign_in(member, "m@example.ru")).status_code in (302, 303)
    return member


def _xlsx_text(content: bytes) -> str:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None)


async def test_buyouts_of_a_shop_out_of_reach_are_never_shown(app, client, mailbox, pg_url):  # type: ignore[no-untyped-def]
    shops = await _seed(app, client, mailbox, pg_url)
    (mine, my_postings), (other, other_postings) = shops["Свой магазин"], shops["Чужой магазин"]
    owner_page = (await client.get(f"/app/reports/buyouts?{QUERY}&shops={other}")).text
    assert any(p in owner_page for p in other_postings)  # the owner sees them: the check below is not vacuous
    member = await _member(app, client, mailbox, mine)
    async with contextlib.aclosing(member):
        for url in (f"/app/reports/buyouts?{QUERY}", f"/app/reports/buyouts?{QUERY}&shops={other}",
                    f"/app/reports/buyouts?{QUERY}&shops={mine}&shops={other}"):
            resp = await member.get(url)
            assert resp.status_code < 500 and not any(p in resp.text for p in other_postings), url
        resp = await member.get(f"/app/reports/buyouts/export.xlsx?{QUERY}&shops={mine}&shops={other}")
        assert resp.status_code == 200
        text = _xlsx_text(resp.content)
        assert any(p in text for p in my_postings) and not any(p in text for p in other_postings)
        token = await post_form(member, "/app/api-tokens/", {"name": "t"})
        raw = re.search(r'id="new-token">([^<]+)<', token.text)
        assert raw, token.text[:300]
        api = await member.get(f"/api/v1/reports/buyouts?{QUERY}&shops={other}",
                               headers={"authorization": f"Bearer {raw.group(1)}"})
        assert api.status_code < 500 and not any(p in api.text for p in other_postings)
    stranger = http_client(app)
    async with contextlib.aclosing(stranger):
        await sign_up(stranger, mailbox, "stranger@example.ru", "Чужой аккаунт")
        for url in (f"/app/reports/buyouts?{QUERY}&shops={other}", f"/app/reports/buyouts/export.xlsx?{QUERY}"
                                                                    f"&shops={mine}"):
            resp = await stranger.get(url)
            body = resp.text if "xlsx" not in url or resp.status_code != 200 else _xlsx_text(resp.content)
            assert not any(p in body for p in my_postings | other_postings), url
