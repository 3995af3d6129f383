"""Security of the cabinet over real HTTP and PostgreSQL."""

from __future__ import annotations

import asyncpg

from tests.integration.web_helpers import PASSWORD, csrf, post_form, sign_in, sign_up


async def test_form_without_csrf_token_is_refused(client, mailbox):
    await client.get("/auth/login")
    resp = await client.post("/auth/register", data={"email": "a@example.ru", "password": PASSWORD,
                                                     "password_confirm": PASSWORD, "full_name": "A", "consent": "on"})
    assert resp.status_code == 403
    assert "Форма устарела" in resp.text
    assert mailbox.messages() == []
    forged = await client.post("/auth/login", data={"email": "a@example.ru", "password": PASSWORD,
                                                    "_csrf_token": "forged-token"})
    assert forged.status_code == 403


async def test_passwords_are_argon2_hashes(client, mailbox, pg_url):
    await sign_up(client, mailbox, "hash@example.ru")
    conn = await asyncpg.connect(pg_url.replace("+asyncpg", ""))
    stored = await conn.fetchval("SELECT password_hash FROM users WHERE email = 'hash@example.ru'")
    await conn.close()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


async def test_session_id_changes_at_login(client, mailbox):
    await sign_up(client, mailbox, "fix@example.ru")
    first = client.cookies["stp_session"]
    token = client.cookies["csrftoken"]
    client.cookies.clear()
    client.cookies.set("csrftoken", token)
    client.cookies.set("stp_session", "attacker-chosen-session-id")
    resp = await sign_in(client, "fix@example.ru")
    assert resp.status_code == 303
    second = resp.cookies["stp_session"]
    assert second not in (first, "attacker-chosen-session-id")
    cookie_header = resp.headers["set-cookie"]
    assert "HttpOnly" in cookie_header and "SameSite=lax" in cookie_header
    client.cookies.clear()
    client.cookies.set("stp_session", second)
    assert (await client.get("/app")).status_code == 200


async def test_ten_wrong_passwords_throttle(client, mailbox):
    await sign_up(client, mailbox, "brute@example.ru")
    client.cookies.delete("stp_session")
    for _ in range(10):
        assert (await sign_in(client, "brute@example.ru", "wrong-password-1")).status_code == 422
    blocked = await sign_in(client, "brute@example.ru")
    assert blocked.status_code == 429
    assert "Слишком много" in blocked.text


async def test_reset_token_works_once(client, mailbox):
    await sign_up(client, mailbox, "reset@example.ru")
    await post_form(client, "/auth/forgot", {"email": "reset@example.ru"})
    path = mailbox.last_link("reset@example.ru").replace("http://testserver.local", "")
    first = await post_form(client, path, {"password": "new-password-22", "password_confirm": "new-password-22"})
    assert first.status_code == 200 and "Пароль изменён" in first.text
    second = await post_form(client, path, {"password": "other-password-33", "password_confirm": "other-password-33"})
    assert second.status_code == 400
    assert (await sign_in(client, "reset@example.ru", "new-password-22")).status_code == 303


async def test_pages_need_login_and_admin(client, mailbox):
    resp = await client.get("/app/legal-entities", follow_redirects=False)
    assert resp.status_code in (302, 303) and resp.headers["location"].startswith("/auth/login")
    await sign_up(client, mailbox, "plain@example.ru")
    assert (await client.get("/admin/users")).status_code == 404
    headers = await csrf(client)
    assert headers


async def test_security_headers_present(client):
    resp = await client.get("/auth/login")
    assert resp.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in resp.headers["content-security-policy"]
