"""Shops in the cabinet: connect with a live key check (never echoed), the shop page with its HTMX progress
partial and history, a revoked key explained, rotate, disconnect keeping or deleting the data."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid

from stpulse.adapters.sandbox.ozon import FaultConfig, sandbox_state
from stpulse.application.accounts.admin_users import make_admin
from stpulse.application.ozon.sync import sync_shop
from stpulse.application.ozon.sync_ports import SyncKind
from tests.integration.ozon_sync import helpers as h
from tests.integration.web_helpers import post_form, sign_in, sign_up

CLIENT, KEY = "720001", "web-key-720001-secret"


def _wire(app):  # type: ignore[no-untyped-def]
    sandbox = h.sandbox_app([(CLIENT, KEY, 5, "small")])
    container = app.state.container
    container.deps = dataclasses.replace(container.deps, ozon=h.ozon_factory(sandbox))
    return sandbox, container.deps


async def _connect(client) -> str:  # type: ignore[no-untyped-def]
    resp = await post_form(client, "/app/shops/new", {"name": "Мой магазин", "client_id": CLIENT, "api_key": KEY},
                           follow_redirects=False)
    assert resp.status_code == 303, resp.text
    return resp.headers["location"]


async def test_connect_checks_the_key_live_and_never_shows_it(app, client, mailbox):  # type: ignore[no-untyped-def]
    _wire(app)
    await sign_up(client, mailbox, "shops@example.com")
    bad = await post_form(client, "/app/shops/new", {"name": "М", "client_id": CLIENT, "api_key": "wrong-key-123456"})
    assert bad.status_code == 422 and "Ключ API недействителен" in bad.text and "wrong-key-123456" not in bad.text
    location = await _connect(client)
    page = await client.get(location)
    assert page.status_code == 200 and "Мой магазин" in page.text and KEY not in page.text
    assert 'data-hx-get="' + location + '/progress"' in page.text
    listing = await client.get("/app/shops/")
    assert f'data-shop="{CLIENT}"' in listing.text and KEY not in listing.text
    again = await post_form(client, "/app/shops/new", {"name": "Ещё", "client_id": CLIENT, "api_key": KEY})
    assert again.status_code == 422 and "уже подключён" in again.text


async def test_progress_partial_history_and_revoked_key(app, client, mailbox):  # type: ignore[no-untyped-def]
    sandbox, deps = _wire(app)
    await sign_up(client, mailbox, "progress@example.com")
    location = await _connect(client)
    shop_id = uuid.UUID(location.rsplit("/", 1)[1])
    day = dt.date(2026, 9, 30)
    await sync_shop(deps, shop_id, SyncKind.CLI, date_from=day - dt.timedelta(days=2), date_to=day)
    partial = await client.get(location + "/progress", headers={"HX-Request": "true"})
    assert partial.status_code == 200 and "<html" not in partial.text
    assert 'data-sync-state="done"' in partial.text and 'data-run="done"' in partial.text
    sandbox_state(sandbox).set_faults(FaultConfig(revoked_client_ids={CLIENT}))
    await sync_shop(deps, shop_id, SyncKind.MANUAL, date_from=day, date_to=day)
    page = await client.get(location)
    assert "data-key-invalid" in page.text and "Ключ API недействителен" in page.text
    assert "Настройки → Seller API" in page.text and "data-run-error" in page.text
    sandbox_state(sandbox).set_faults(FaultConfig())
    rotated = await post_form(client, location + "/key", {"api_key": KEY}, follow_redirects=False)
    assert rotated.status_code == 303
    assert 'data-status="active"' in (await client.get(location)).text


async def test_disconnect_keep_or_delete_after_confirmation(app, client, mailbox):  # type: ignore[no-untyped-def]
    _wire(app)
    await sign_up(client, mailbox, "disconnect@example.com")
    location = await _connect(client)
    assert (await client.get(location + "/disconnect")).status_code == 200
    refused = await post_form(client, location + "/disconnect", {"data": "delete", "confirm_name": "не то"})
    assert refused.status_code == 422
    kept = await post_form(client, location + "/disconnect", {"data": "keep"}, follow_redirects=False)
    assert kept.status_code == 303
    assert 'data-status="paused"' in (await client.get("/app/shops/")).text
    deleted = await post_form(client, location + "/disconnect", {"data": "delete", "confirm_name": "Мой магазин"},
                              follow_redirects=False)
    assert deleted.status_code == 303
    assert (await client.get(location)).status_code == 404


async def test_admin_sees_the_anomalies_of_odd_answers_with_the_raw_record(app, client, mailbox):  # type: ignore[no-untyped-def]
    sandbox, deps = _wire(app)
    sandbox_state(sandbox).set_faults(FaultConfig(share_odd=0.2, seed=3))
    await sign_up(client, mailbox, "anomalies@example.com")
    location = await _connect(client)
    shop_id = uuid.UUID(location.rsplit("/", 1)[1])
    day = dt.date(2026, 9, 30)
    await sync_shop(deps, shop_id, SyncKind.CLI, date_from=day - dt.timedelta(days=3), date_to=day)
    denied = await client.get("/admin/anomalies", follow_redirects=False)
    assert denied.status_code == 404 and "total_amount" not in denied.text  # the admin area is hidden
    await make_admin(deps, "root-anomalies@example.ru", "root-password-1")
    await sign_in(client, "root-anomalies@example.ru", "root-password-1")
    page = await client.get("/admin/anomalies")
    assert page.status_code == 200 and "Аномалии ответов Ozon" in page.text and "Мой магазин" in page.text
    assert "нет total_amount: взята сумма частей" in page.text and "нет quantity" in page.text
    assert "&#34;total_amount&#34;:null" in page.text or '"total_amount":null' in page.text  # the raw record
    assert 'href="/admin/anomalies"' in page.text  # in the admin menu
    # each record's accrual types by Ozon's names (/v1/finance/accrual/types), not bare ids
    assert page.text.count('<div data-type="') > 0 and "Ozon ещё не прислал название" not in page.text
    assert '<div data-type="32"><span class="type-name">Логистика</span>' in page.text
    assert "Logistic · №32" in page.text


async def test_admin_queue_of_unmapped_types_shows_ozons_names(app, client, mailbox):  # type: ignore[no-untyped-def]
    _, deps = _wire(app)
    await sign_up(client, mailbox, "type-names@example.com")
    location = await _connect(client)
    shop_id = uuid.UUID(location.rsplit("/", 1)[1])
    day = dt.date(2026, 9, 30)
    await sync_shop(deps, shop_id, SyncKind.CLI, date_from=dt.date(2026, 7, 1), date_to=day)  # has type 133
    await make_admin(deps, "root-types@example.ru", "root-password-1")
    await sign_in(client, "root-types@example.ru", "root-password-1")
    page = await client.get("/admin/ledger/")
    row = page.text.split('data-unmapped="133"', 1)[1].split("</tr>", 1)[0]  # the type Ozon «just introduced»
    assert "Новая услуга Ozon (песочница)" in row and "SandboxNewServiceFee" in row and "№133" in row
