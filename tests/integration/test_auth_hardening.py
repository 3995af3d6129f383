"""Issues 19.6–19.9, 18.7, 18.12 and 18.16 over real HTTP and PostgreSQL."""

from __future__ import annotations

import re

import pytest

from stpulse.entrypoints.settings import Settings
from tests.integration.conftest import http_client
from tests.integration.web_helpers import PASSWORD, csrf, post_form, sign_in, sign_up

PROXY_IP_LIMIT = 3


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The conftest's settings with a small per-client limit, so a test needs few argon2 rounds."""
    return settings.model_copy(update={"login_ip_max_failures": PROXY_IP_LIMIT})


async def _post(client, url: str, data: dict, headers: dict, **kwargs):  # type: ignore[no-untyped-def]
    return await client.post(url, data=data, headers={**await csrf(client), **headers}, **kwargs)


def _trusting(app, proxies: str) -> None:  # type: ignore[no-untyped-def]
    container = app.state.container
    container.settings = container.settings.model_copy(update={"trusted_proxies": proxies})


async def _spray_from(client, forwarded: str) -> None:  # type: ignore[no-untyped-def]
    for n in range(PROXY_IP_LIMIT):
        resp = await _post(client, "/auth/login", {"email": f"ghost{n}@example.ru", "password": "wrong-horse-1"},
                           {"x-forwarded-for": forwarded})
        assert resp.status_code == 422


async def _login_from(client, email: str, forwarded: str):  # type: ignore[no-untyped-def]
    return await _post(client, "/auth/login", {"email": email, "password": PASSWORD}, {"x-forwarded-for": forwarded},
                       follow_redirects=False)


async def test_forwarded_address_counts_behind_a_trusted_proxy(app, client, mailbox):
    _trusting(app, "127.0.0.1/32, 10.0.0.0/8")  # the test client connects from 127.0.0.1
    await sign_up(client, mailbox, "office@example.ru")
    client.cookies.delete("stp_session")
    await _spray_from(client, "203.0.113.5, 10.1.2.3")
    assert (await _login_from(client, "office@example.ru", "203.0.113.5")).status_code == 429
    assert (await _login_from(client, "office@example.ru", "203.0.113.6")).status_code == 303


async def test_forwarded_address_is_ignored_from_anyone_else(app, client, mailbox):
    await sign_up(client, mailbox, "office@example.ru")
    client.cookies.delete("stp_session")
    await _spray_from(client, "203.0.113.5")
    assert (await _login_from(client, "office@example.ru", "203.0.113.6")).status_code == 429  # a forged header


async def test_reset_mail_is_throttled(client, mailbox, settings):
    await sign_up(client, mailbox, "forgot@example.ru")
    answers = [(await post_form(client, "/auth/forgot", {"email": "forgot@example.ru"})).status_code
               for _ in range(30)]
    sent = [m for m in mailbox.messages() if m["To"] == "forgot@example.ru" and "/auth/reset/" in m.get_payload(decode=True).decode()]
    assert len(sent) == settings.reset_max_per_address
    assert answers.count(200) == settings.reset_max_per_address and set(answers) == {200, 429}


async def test_registration_answers_the_same_for_a_taken_address(client, mailbox):
    await sign_up(client, mailbox, "taken@example.ru")
    form = {"email": "taken@example.ru", "password": "other-horse-44", "password_confirm": "other-horse-44",
            "full_name": "Кто-то", "consent": "on"}
    resp = await post_form(client, "/auth/register", form)
    fresh = await post_form(client, "/auth/register", {**form, "email": "fresh@example.ru"})
    assert resp.status_code == fresh.status_code == 200
    assert "уже зарегистрирован" not in resp.text
    assert resp.text.replace("taken@", "X@") == fresh.text.replace("fresh@", "X@")


async def test_weak_password_refused_next_to_the_field(client, mailbox):
    resp = await post_form(client, "/auth/register", {"email": "weak@example.ru", "password": "qwertyuiop1",
                                                      "password_confirm": "qwertyuiop1", "full_name": "Слабый",
                                                      "consent": "on"})
    assert resp.status_code == 422
    assert re.search(r'data-error="password">[А-Я]', resp.text)


async def test_autocomplete_attributes_are_not_escaped_twice(client):
    login = (await client.get("/auth/login")).text
    register = (await client.get("/auth/register")).text
    assert "&#34;" not in login + register and "&quot;" not in login + register
    # «email», not «username»: the Nu checker allows «username» only on a text field (issue 18.19)
    assert 'autocomplete="email"' in login and 'autocomplete="current-password"' in login
    assert 'autocomplete="name"' in register and 'autocomplete="new-password"' in register


async def test_password_change_signs_out_other_browsers_and_says_so(app, client, mailbox):
    await sign_up(client, mailbox, "change@example.ru")
    async with http_client(app) as other:
        await sign_in(other, "change@example.ru")
        assert (await other.get("/app")).status_code == 200
        resp = await post_form(client, "/app/password", {"old_password": PASSWORD, "new_password": "fresh-horse-22",
                                                         "new_password_confirm": "fresh-horse-22"})
        assert resp.status_code == 200 and "Другие сеансы завершены" in resp.text and "API-токены" in resp.text
        assert (await other.get("/app", follow_redirects=False)).status_code in (302, 303)
    assert (await client.get("/app")).status_code == 200


async def test_email_change_through_the_profile(client, mailbox):
    await sign_up(client, mailbox, "old@example.ru")
    profile = (await client.get("/app/profile")).text
    assert 'name="new_email"' in profile
    resp = await _post(client, "/app/email", {"new_email": "new@example.ru", "password": PASSWORD},
                       {"hx-request": "true"})
    assert resp.status_code == 200 and "new@example.ru" in resp.text
    assert "old@example.ru" in (await client.get("/app/profile")).text  # not changed yet
    wrong = await _post(client, "/app/email", {"new_email": "x@example.ru", "password": "bad"},
                        {"hx-request": "true"})
    assert wrong.status_code == 422 and 'data-error="password"' in wrong.text
    link = mailbox.last_link("new@example.ru").replace("http://testserver.local", "")
    assert (await client.get(link)).status_code == 200
    assert "new@example.ru" in (await client.get("/app/profile")).text
    assert (await client.get(link)).status_code == 400
