"""Issue 19, item 11: production forces Secure cookies and sends HSTS; the request body limit is per route (large
only for uploads); /metrics is not public in production (loopback, or a bearer token from a setting)."""

from __future__ import annotations

import httpx
import pytest

from stpulse.entrypoints.bootstrap import bootstrap
from stpulse.entrypoints.settings import Settings
from stpulse.entrypoints.web.app import create_app
from tests.integration.web_helpers import PASSWORD, csrf, post_form, sign_up

REMOTE = ("203.0.113.7", 50000)


def remote_client(app, client=REMOTE, headers=None):  # type: ignore[no-untyped-def]
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app, client=client), base_url="https://testserver.local",
                             headers=headers)


async def test_production_cookies_are_secure_and_hsts_is_sent(client, mailbox):
    page = await client.get("/auth/login")
    assert page.headers["strict-transport-security"].startswith("max-age=")
    assert "secure" in page.headers["set-cookie"].lower()  # the CSRF cookie
    await sign_up(client, mailbox, "cookie@example.ru")
    login = await post_form(client, "/auth/login", {"email": "cookie@example.ru", "password": PASSWORD},
                            follow_redirects=False)
    session = next(c for c in login.headers.get_list("set-cookie") if c.startswith("stp_session="))
    assert "secure" in session.lower()


def test_embedded_mode_keeps_plain_cookies_and_production_refuses_to_turn_them_off():
    assert not Settings(mode="embedded").secure_cookies
    assert Settings(mode="production").secure_cookies
    with pytest.raises(SystemExit, match="COOKIE_SECURE"):
        Settings(mode="production", secret_key="Q" + "x9Lk2Vb7Mz4Tq8Rw1Ys6Pd3Hf5Jn0Gc" * 2,
                 cookie_secure=False).check_production()


async def test_a_large_body_is_refused_except_on_upload_routes(client, mailbox):
    await sign_up(client, mailbox, "body@example.ru")
    headers = await csrf(client)
    big_form = await client.post("/app/profile", data={"full_name": "x" * (2 * 1024 * 1024)}, headers=headers)
    assert big_form.status_code == 413 and "слишком велик" in big_form.text
    pdf = b"%PDF-1.4 " + b"0" * (3 * 1024 * 1024)
    upload = await client.post("/app/documents/upload", files={"file": ("big.pdf", pdf, "application/pdf")},
                               headers=headers)
    assert upload.status_code == 200 and "загружен" in upload.text


async def test_metrics_answer_loopback_or_the_token_only(app, pg_url, tmp_path):
    async with remote_client(app, client=("127.0.0.1", 1)) as local:
        assert (await local.get("/metrics")).status_code == 200
    async with remote_client(app) as remote:
        assert (await remote.get("/metrics")).status_code == 404
    settings = Settings(mode="production", database_url=pg_url, data_dir=tmp_path, metrics_token="scrape-" + "k" * 30)
    with_token = create_app(settings, bootstrap(settings))
    try:
        async with remote_client(with_token, headers={"authorization": "Bearer scrape-" + "k" * 30}) as scraper:
            assert (await scraper.get("/metrics")).status_code == 200
        async with remote_client(with_token, headers={"authorization": "Bearer wrong"}) as intruder:
            assert (await intruder.get("/metrics")).status_code == 404
    finally:
        await with_token.state.container.close()
