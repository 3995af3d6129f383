"""The admin area over HTTP: content pages (sanitised for readers), users with search and blocking, search box."""

from __future__ import annotations

from stpulse.application.accounts.admin_users import make_admin
from tests.integration.conftest import http_client
from tests.integration.web_helpers import post_form, sign_in, sign_up


async def test_admin_writes_a_page_readers_see_it_sanitised(app, client, mailbox):
    await make_admin(app.state.container.deps, "root@example.ru", "root-password-1")
    await sign_in(client, "root@example.ru", "root-password-1")
    bad = await post_form(client, "/admin/pages/new", {"slug": "Не латиница", "title": ""})
    assert bad.status_code == 422 and "латинские буквы" in bad.text and "Укажите заголовок" in bad.text
    ok = await post_form(client, "/admin/pages/new", {"slug": "help", "title": "Справка по ОПиУ",
                                                      "body_markdown": "**Жирно** <script>alert(1)</script>",
                                                      "published": "on"}, follow_redirects=False)
    assert ok.status_code == 303
    dup = await post_form(client, "/admin/pages/new", {"slug": "help", "title": "Дубль"})
    assert dup.status_code == 409 and "уже есть" in dup.text
    async with http_client(app) as reader:
        page = await reader.get("/pages/help")
        assert page.status_code == 200 and "<strong>Жирно</strong>" in page.text and "<script>alert" not in page.text
        await sign_up(reader, mailbox, "reader@example.ru")
        found = await reader.get("/app/search", params={"q": "ОПиУ"}, headers={"hx-request": "true"})
        assert "/pages/help" in found.text and "<html" not in found.text  # the partial only


async def test_admin_searches_and_blocks_a_user(app, client, mailbox):
    async with http_client(app) as seller:
        await sign_up(seller, mailbox, "seller@example.ru")
        assert (await seller.get("/app")).status_code == 200
        await make_admin(app.state.container.deps, "root@example.ru", "root-password-1")
        await sign_in(client, "root@example.ru", "root-password-1")
        listing = await client.get("/admin/users", params={"q": "seller"})
        assert 'data-user="seller@example.ru"' in listing.text and 'data-user="root@example.ru"' not in listing.text
        async with app.state.container.deps.uow() as uow:
            user = await uow.users.by_email("seller@example.ru")
        resp = await post_form(client, f"/admin/users/{user.id}/block", {"blocked": "1", "reason": "жалоба"},
                               follow_redirects=False)
        assert resp.status_code == 303
        kicked = await seller.get("/app", follow_redirects=False)
        assert kicked.status_code in (302, 303)  # the blocked user's session is gone
        again = await sign_in(seller, "seller@example.ru")
        assert again.status_code == 400 and "заблокирована" in again.text


async def test_landing_and_registration_link_every_legal_page(client):  # type: ignore[no-untyped-def]
    """Issue 18.17: the landing and the registration form link the offer, the consent and the privacy policy."""
    for url in ("/", "/auth/register"):
        html = (await client.get(url)).text
        for slug in ("offer", "consent", "privacy"):
            assert f'href="/pages/{slug}"' in html, (url, slug)
