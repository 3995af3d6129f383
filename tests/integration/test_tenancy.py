"""Walk every route with an id in its path: a user of account B gets 404 for each object of account A."""

from __future__ import annotations

import contextlib
import re
import uuid

from litestar.routes import HTTPRoute

from stpulse.application.accounts import content
from stpulse.application.accounts.admin_users import make_admin
from tests.integration.conftest import http_client
from tests.integration.web_helpers import PASSWORD, csrf, post_form, sign_in, sign_up

NOT_IDS = {"token", "slug", "file_path", "report", "rule", "chart"}  # secrets or public names (report, chart codes), not tenant object ids
PDF = b"%PDF-1.4 test"


async def _account_a(app, client, mailbox) -> dict[str, uuid.UUID]:  # type: ignore[no-untyped-def]
    await sign_up(client, mailbox, "a@example.ru", "Аккаунт А")
    await post_form(client, "/app/legal-entities/new", {"kind": "ip", "name": "ИП А", "inn": "500100732259",
                                                        "tax_regime": "usn_income", "tax_rate_percent": "6",
                                                        "vat_rate": "0"})
    await client.post("/app/documents/upload", files={"file": ("a.pdf", PDF, "application/pdf")},
                      headers=await csrf(client))
    await post_form(client, "/app/team/invite", {"email": "member@example.ru", "role": "analyst"})
    await post_form(client, "/app/team/invite", {"email": "pending@example.ru", "role": "manager"})
    async with http_client(app) as member:
        link = mailbox.last_link("member@example.ru").replace("http://testserver.local", "")
        token = link.rsplit("/", 1)[-1]
        await member.get(link)
        await post_form(member, "/auth/register", {"email": "member@example.ru", "password": PASSWORD,
                                                   "password_confirm": PASSWORD, "full_name": "Сотрудник",
                                                   "consent": "on", "invite_token": token})
    deps = app.state.container.deps
    admin = await make_admin(deps, "root@example.ru", "root-password-1")
    page = await content.save_page(deps, admin, content.PageForm(slug="draft", title="Черновик"))
    async with deps.uow() as uow:
        user = await uow.users.by_email("a@example.ru")
        membership = (await uow.memberships.for_user(user.id))[0]
        members = await uow.memberships.for_account(membership.account_id)
        entity = (await uow.legal_entities.for_account(membership.account_id))[0]
        doc = (await uow.documents.for_account(membership.account_id, 0, 10))[0][0]
        invitation = (await uow.invitations.pending_for_account(membership.account_id))[0]
    member_membership = next(m for m in members if m.user_id != user.id)
    money = await _money_objects(client, deps, membership.account_id, user.id)
    bills = await _billing_objects(deps, membership.account_id, user.id, entity)
    shop_id = await _shop_of(deps, membership.account_id)
    target_id = await _plan_target(deps, membership.account_id, shop_id)
    key_id = await _ad_key_of(deps, membership.account_id, shop_id)
    return {"target_id": target_id, "key_id": key_id, "entity_id": entity.id, "doc_id": doc.id,
            "membership_id": member_membership.id,
            "invitation_id": invitation.id, "account_id": membership.account_id, "user_id": user.id,
            "page_id": page.id, "shop_id": shop_id, **money, **bills}


async def _shop_of(deps, account_id: uuid.UUID) -> uuid.UUID:  # type: ignore[no-untyped-def]
    """A connected Ozon shop of account A (issue 3), stored directly: no Ozon call is needed to own one."""
    from stpulse.application.kernel.deps import new_id
    from stpulse.domain.ledger.shops import Shop

    shop = Shop(id=new_id(), account_id=account_id, name="Магазин А", client_id="424242")
    async with deps.uow() as uow:
        await uow.shops.add(shop, deps.secrets.encrypt("secret-key-a"))
        await uow.commit()
    return shop.id


async def _plan_target(deps, account_id: uuid.UUID, shop_id: uuid.UUID) -> uuid.UUID:  # type: ignore[no-untyped-def]
    """A План target of one shop (issue 15), stored directly."""
    import datetime as dt

    from stpulse.application.kernel.deps import new_id
    from stpulse.application.planning.ports import PlanTargetRecord

    target = PlanTargetRecord(id=new_id(), account_id=account_id, shop_id=shop_id, month=dt.date(2026, 1, 1),
                              revenue=100_000_00)
    async with deps.uow() as uow:
        await uow.plan_targets.upsert([target])
        await uow.commit()
    return target.id


async def _ad_key_of(deps, account_id: uuid.UUID, shop_id: uuid.UUID) -> uuid.UUID:  # type: ignore[no-untyped-def]
    """A Performance key of account A's shop (issue 14), stored directly."""
    import datetime as dt

    from stpulse.application.kernel.deps import new_id
    from stpulse.domain.ads.keys import PerformanceKey

    key = PerformanceKey(id=new_id(), account_id=account_id, shop_id=shop_id, label="Кабинет А", organisation="ИП А",
                         client_id="1-1@advertising.performance.ozon.ru", created_at=dt.datetime.now(dt.UTC))
    async with deps.uow() as uow:
        await uow.ad_keys.add(key, deps.secrets.encrypt("secret-a"))
        await uow.commit()
    return key.id


async def _billing_objects(deps, account_id, user_id, entity) -> dict:  # type: ignore[no-untyped-def]
    """A payment, an invoice and a promo code of account A (issue 5)."""
    import datetime as dt

    from stpulse.application.billing.records import InvoiceRecord, PaymentKind, PaymentRecord
    from stpulse.domain.billing import PromoCode, PromoKind, Requisites

    now = dt.datetime.now(dt.UTC)
    payment = PaymentRecord(id=uuid.uuid4(), user_id=user_id, kind=PaymentKind.INVOICE, tariff_code="start",
                            months=1, amount=99000, idempotency_key=f"t-{uuid.uuid4()}", created_at=now)
    invoice = InvoiceRecord(id=uuid.uuid4(), number=1, user_id=user_id, account_id=account_id,
                            legal_entity_id=entity.id, payment_id=payment.id, buyer=Requisites.from_legal_entity(entity),
                            tariff_code="start", months=1, amount=99000, vat_rate=None, created_at=now)
    async with deps.uow() as uow:
        await uow.payments.add(payment)
        await uow.invoices.add(invoice)
        await uow.promos.save(PromoCode(code="A10", kind=PromoKind.PERCENT, value=10))
        await uow.commit()
    return {"payment_id": payment.id, "invoice_id": invoice.id, "code": "A10"}


async def _money_objects(client, deps, account_id, user_id) -> dict[str, uuid.UUID]:  # type: ignore[no-untyped-def]
    """An own expense and an API token of account A (issue 4)."""
    await post_form(client, "/app/expenses", {"month": "2026-01", "article": "Аренда", "amount": "1000"})
    await post_form(client, "/app/api-tokens/", {"name": "A"})
    async with deps.uow() as uow:
        import datetime as dt

        expense = (await uow.opex.between(account_id, dt.date(2026, 1, 1), dt.date(2026, 1, 1)))[0]
        token = (await uow.api_tokens.for_user(account_id, user_id))[0]
    cash = await _cash_objects(client, deps, account_id)
    return {"expense_id": expense.id, "token_id": token.id, **cash}


async def _cash_objects(client, deps, account_id) -> dict[str, uuid.UUID]:  # type: ignore[no-untyped-def]
    """A money account, a category and an entry of account A's ДДС (issue 12)."""
    await post_form(client, "/app/cash/accounts", {"name": "Банк А", "kind": "bank", "opening_date": "01.01.2026"})
    await client.get("/app/cash")  # the usual categories
    async with deps.uow() as uow:
        money_account = (await uow.cash.accounts(account_id))[0]
        category = (await uow.cash.categories(account_id))[0]
    await post_form(client, "/app/cash/entries", {"date": "02.01.2026", "money_account_id": str(money_account.id),
                                                  "category_id": str(category.id), "amount": "10"})
    async with deps.uow() as uow:
        entry = (await uow.cash.all_entries(account_id))[0]
    return {"money_account_id": money_account.id, "category_id": category.id, "entry_id": entry.id}


async def test_account_b_gets_404_for_every_object_of_account_a(app, client, mailbox):
    ids = await _account_a(app, client, mailbox)
    checked = 0
    async with http_client(app) as b:
        await sign_up(b, mailbox, "b@example.ru", "Аккаунт Б")
        headers = await csrf(b)
        for route in app.routes:
            params = [p for p in re.findall(r"{(\w+):", route.path) if p not in NOT_IDS]
            if not isinstance(route, HTTPRoute) or not params:
                continue
            missing = set(params) - set(ids)
            assert not missing, f"{route.path}: add an object of account A for {missing} to this test"
            path = route.path
            for name in params:
                path = re.sub(r"{" + name + r":\w+}", str(ids[name]), path)
            for method in sorted(route.methods - {"HEAD", "OPTIONS"}):
                resp = await b.request(method, path, headers=headers)
                assert resp.status_code == 404, f"{method} {path} answered {resp.status_code}"
                checked += 1
    assert checked >= 13
    deps = app.state.container.deps
    async with deps.uow() as uow:  # nothing of A was touched
        assert await uow.legal_entities.get(ids["account_id"], ids["entity_id"]) is not None
        assert await uow.documents.get(ids["account_id"], ids["doc_id"]) is not None
        assert await uow.invitations.get(ids["invitation_id"]) is not None
        assert len(await uow.memberships.for_account(ids["account_id"])) == 2
        assert [e.id for e in await uow.cash.all_entries(ids["account_id"])] == [ids["entry_id"]]
        assert len(await uow.cash.accounts(ids["account_id"])) == 1
        assert await uow.ad_keys.get(ids["account_id"], ids["key_id"]) is not None


# --- a member restricted to one shop (issue 19, item 1) ---

RESTRICTED_IDS = {"shop_id", "expense_id", "target_id"}  # route parameters naming an object that belongs to one shop


async def _shop(deps, account_id: uuid.UUID, name: str, client_id: str) -> uuid.UUID:  # type: ignore[no-untyped-def]
    from stpulse.application.kernel.deps import new_id
    from stpulse.domain.ledger.shops import Shop, ShopStatus

    shop = Shop(id=new_id(), account_id=account_id, name=name, client_id=client_id, status=ShopStatus.ACTIVE)
    async with deps.uow() as uow:
        await uow.shops.add(shop, deps.secrets.encrypt(f"secret-key-{client_id}"))
        await uow.commit()
    return shop.id


async def _join(app, owner, mailbox, email: str, role: str, shop_id: uuid.UUID):  # type: ignore[no-untyped-def]
    """The owner invites a member restricted to one shop; the member registers and signs in."""
    resp = await post_form(owner, "/app/team/invite", {"email": email, "role": role, "shop_ids": [str(shop_id)]})
    assert resp.status_code == 200, resp.text
    member = http_client(app)
    link = mailbox.last_link(email).replace("http://testserver.local", "")
    await member.get(link)
    resp = await post_form(member, "/auth/register", {"email": email, "password": PASSWORD, "password_confirm": PASSWORD,
                                                      "full_name": role, "consent": "on",
                                                      "invite_token": link.rsplit("/", 1)[-1]})
    assert resp.status_code in (302, 303), resp.text
    assert (await sign_in(member, email)).status_code in (302, 303)
    return member


async def test_a_member_restricted_to_one_shop_gets_404_for_every_other_shop(app, client, mailbox):
    deps = app.state.container.deps
    await sign_up(client, mailbox, "owner@example.ru", "Владелец")
    async with deps.uow() as uow:
        account_id = (await uow.memberships.for_user((await uow.users.by_email("owner@example.ru")).id))[0].account_id
    mine = await _shop(deps, account_id, "Свой магазин", "111")
    other = await _shop(deps, account_id, "Чужой магазин", "222")
    await post_form(client, "/app/expenses", {"month": "2026-01", "article": "Аренда чужого", "amount": "1000",
                                              "shop_id": str(other)})
    async with deps.uow() as uow:
        import datetime as dt

        expense = (await uow.opex.between(account_id, dt.date(2026, 1, 1), dt.date(2026, 1, 1)))[0]
    await post_form(client, "/app/costs", {"offer_id": "OTHER-1", "effective_from": "2026-01-01", "purchase": "100"})
    ids = {"shop_id": other, "expense_id": expense.id, "target_id": await _plan_target(deps, account_id, other)}
    from stpulse.application.alerts.evaluate import store_findings
    from stpulse.domain.alerts.rules import Finding, RuleCode

    # an alert about the other shop (issue 16): in the owner's centre, never in a restricted member's
    await store_findings(deps, account_id, [Finding(
        rule=RuleCode.SYNC_FAILING, cause=f"sync_failing:{other}:never", title="Магазин «Чужой магазин» не "
        "синхронизируется", body="Проверьте ключ", url=f"/app/shops/{other}", urgent=False, shop_id=str(other))])
    assert "Чужой магазин» не синхронизируется" in (await client.get("/app/alerts")).text
    manager = await _join(app, client, mailbox, "manager@example.ru", "manager", mine)
    accountant = await _join(app, client, mailbox, "accountant@example.ru", "accountant", mine)
    checked = 0
    async with contextlib.aclosing(manager), contextlib.aclosing(accountant):
        for member in (manager, accountant):
            headers = await csrf(member)
            for route in app.routes:
                params = set(re.findall(r"{(\w+):", route.path))
                if not isinstance(route, HTTPRoute) or not params & RESTRICTED_IDS or params - RESTRICTED_IDS:
                    continue
                path = route.path
                for name in params:
                    path = re.sub(r"{" + name + r":\w+}", str(ids[name]), path)
                for method in sorted(route.methods - {"HEAD", "OPTIONS"}):
                    data = {"data": "delete", "confirm_name": "Чужой магазин", "api_key": "new-secret-key"}
                    resp = await member.request(method, path, headers=headers, data=data if method == "POST" else None)
                    assert resp.status_code == 404, f"{method} {path} answered {resp.status_code}"
                    checked += 1
            listing = (await member.get("/app/shops/")).text
            assert "Свой магазин" in listing and "Чужой магазин" not in listing
            for page in ("/app/", "/app/search?q=магазин", "/app/expenses", "/app/reports/pnl", "/app/plan/",
                         "/app/plan/export.xlsx?from=2026-01&to=2026-01", f"/app/reports/plan?shops={other}",
                         f"/app/reports/pnl?shops={other}", f"/app/reports/unit?shops={mine}&shops={other}",
                         "/app/alerts"):
                resp = await member.get(page)
                assert resp.status_code < 500 and "Чужой магазин" not in resp.text, page
            from stpulse.adapters.xlsx.costs import CalamineCostSheetReader

            exported = await member.get("/app/plan/export.xlsx?from=2026-01&to=2026-01")
            assert CalamineCostSheetReader(isolated=False).read_rows(exported.content)[1:] == []  # not the other's plan
            token = await post_form(member, "/app/api-tokens/", {"name": "t"})
            raw = re.search(r'id="new-token">([^<]+)<', token.text)
            assert raw, token.text[:500]
            api = await member.get("/api/v1/shops", headers={"authorization": f"Bearer {raw.group(1)}"})
            assert api.status_code == 200 and str(mine) in api.text and str(other) not in api.text  # the JSON API too
        assert checked >= 12
        page = await accountant.get("/app/expenses?from=2026-01&to=2026-01")
        assert page.status_code == 200 and "Аренда чужого" not in page.text
        resp = await post_form(accountant, "/app/expenses", {"month": "2026-01", "article": "Чужое", "amount": "5",
                                                             "shop_id": str(other)})
        assert resp.status_code == 422, resp.status_code
        resp = await post_form(accountant, "/app/expenses", {"month": "2026-01", "article": "Общее", "amount": "5"})
        assert resp.status_code == 422, resp.status_code  # an account-wide expense touches every shop
        resp = await post_form(accountant, "/app/expenses", {"month": "2026-01", "article": "Своё", "amount": "5",
                                                             "shop_id": str(mine)})
        assert resp.status_code in (302, 303), resp.status_code
        resp = await post_form(accountant, "/app/costs", {"offer_id": "OTHER-1", "effective_from": "2026-01-01",
                                                          "purchase": "1"})
        assert resp.status_code == 422, resp.status_code  # not an offer of the member's shops
        assert "OTHER-1" in (await client.get("/app/costs")).text
        assert "OTHER-1" not in (await accountant.get("/app/costs")).text
    async with deps.uow() as uow:  # nothing of the other shop was touched
        shop = await uow.shops.get(account_id, other)
        assert shop is not None and shop.status.value == "active"
        assert deps.secrets.decrypt(await uow.shops.api_key(other)) == "secret-key-222"
        entries = await uow.opex.between(account_id, dt.date(2026, 1, 1), dt.date(2026, 1, 1))
        assert sorted(e.article for e in entries) == ["Аренда чужого", "Своё"]
        assert [t.shop_id for t in await uow.plan_targets.between(account_id, dt.date(2026, 1, 1),
                                                                   dt.date(2026, 1, 1))] == [other]
