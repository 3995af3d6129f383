"""Issue 14, acceptance 3 over HTTP: a revoked Performance key stops that key only, and the shop page says so.

Three keys are added through the cabinet's form (each checked live against the sandbox); the sandbox then revokes
the second; the ads import runs as the worker runs it. The shop page itself (its HTML, no script needed) shows the
revoked key refused with «Ключ «…» (…) отозван или неверен: …» in Russian, the two others imported, and never a
secret; the keys page says the same; the import's results classify the refusal as a bad key."""

from __future__ import annotations

import dataclasses
import html
import re
import uuid

from stpulse.adapters.sandbox.ozon import FaultConfig, sandbox_state
from stpulse.adapters.sandbox.ozon.http.app import performance_state
from stpulse.application.ads.sync import sync_ads
from tests.integration.ads.conftest import ACCOUNTS, SELLER, SELLER_KEY, ads_sandbox, performance_factory
from tests.integration.ozon_sync import helpers as h
from tests.integration.web_helpers import post_form, sign_up

ROW = re.compile(r'<tr data-key="([^"]+)" data-key-outcome="([a-z]+)">(.*?)</tr>', re.DOTALL)


def summary_rows(page: str) -> dict[str, tuple[str, str]]:
    """client_id → (outcome, visible text) of the ads card on the shop page."""
    card = page[page.index("data-ads-summary"):]
    return {cid: (outcome, " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split()))
            for cid, outcome, body in ROW.findall(card)}


async def test_a_revoked_key_stops_only_itself_and_the_shop_page_says_so(app, client, mailbox):  # type: ignore[no-untyped-def]
    sandbox = ads_sandbox(profile="small")
    container = app.state.container
    container.deps = dataclasses.replace(container.deps, ozon=h.ozon_factory(sandbox),
                                         performance=performance_factory(sandbox))
    await sign_up(client, mailbox, "ads-web@example.com")
    connected = await post_form(client, "/app/shops/new", {"name": "Реклама", "client_id": SELLER,
                                                           "api_key": SELLER_KEY}, follow_redirects=False)
    assert connected.status_code == 303, connected.text
    location = connected.headers["location"]
    for i, a in enumerate(ACCOUNTS):
        added = await post_form(client, location + "/ads/", {"label": f"Кабинет {i + 1}", "organisation": a.organisation,
                                                             "client_id": a.client_id, "client_secret": a.client_secret},
                                follow_redirects=False)
        assert added.status_code == 303, added.text

    revoked = ACCOUNTS[1]
    sandbox_state(sandbox).set_faults(FaultConfig(revoked_client_ids={revoked.client_id}))
    results = await sync_ads(container.deps, uuid.UUID(location.rsplit("/", 1)[1]))  # the worker's job

    assert sorted((r.ok, r.kind) for r in results) == [(False, "bad_key"), (True, ""), (True, "")]
    page = await client.get(location)
    assert page.status_code == 200
    rows = summary_rows(page.text)
    assert set(rows) == {a.client_id for a in ACCOUNTS}
    outcome, text = rows[revoked.client_id]
    assert outcome == "refused" and "Ключ отозван или неверен" in text
    assert f"Ключ «Кабинет 2» ({revoked.client_id}) отозван или неверен: Ozon не принял Client ID и Client Secret" in text
    assert "Остальные ключи магазина загружаются" in text
    for other in (ACCOUNTS[0], ACCOUNTS[2]):
        assert rows[other.client_id][0] == "loaded" and "загружено по" in rows[other.client_id][1]
    assert not any(a.client_secret in page.text for a in ACCOUNTS)

    keys_page = await client.get(location + "/ads/")
    assert f'data-key="{revoked.client_id}" data-key-status="invalid"' in keys_page.text
    assert "отозван или неверен" in html.unescape(keys_page.text)
    assert performance_state(sandbox).counters.refusals_429 == 0
