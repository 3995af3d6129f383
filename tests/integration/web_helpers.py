"""Driving the cabinet over HTTP like a browser: CSRF cookie, forms, sign-in."""

from __future__ import annotations

from httpx import AsyncClient as AsyncTestClient

PASSWORD = "correct-horse-1"


async def csrf(client: AsyncTestClient) -> dict[str, str]:
    if "csrftoken" not in client.cookies:
        await client.get("/auth/login")
    return {"x-csrftoken": client.cookies["csrftoken"]}


async def post_form(client: AsyncTestClient, url: str, data: dict, **kwargs):  # type: ignore[no-untyped-def]
    return await client.post(url, data=data, headers=await csrf(client), **kwargs)


async def sign_up(client: AsyncTestClient, mailbox, email: str, name: str = "Продавец", *,  # type: ignore[no-untyped-def]
                  trial: bool = True) -> None:
    """A confirmed, signed-in owner; with `trial` the trial is started (an account without one is read-only)."""
    resp = await post_form(client, "/auth/register", {"email": email, "password": PASSWORD,
                                                      "password_confirm": PASSWORD, "full_name": name, "consent": "on"})
    assert resp.status_code == 200, resp.text
    link = mailbox.last_link(email)
    assert (await client.get(link.replace("http://testserver.local", ""))).status_code == 200
    await sign_in(client, email)
    if trial:
        assert (await post_form(client, "/app/billing/trial", {})).status_code in (200, 303)


async def sign_in(client: AsyncTestClient, email: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    return await post_form(client, "/auth/login", {"email": email, "password": password},
                           follow_redirects=False)
