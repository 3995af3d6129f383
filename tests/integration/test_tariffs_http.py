"""Tariffs enforced over HTTP and the JSON API (issue 19): a test per feature and per limit, and an expired account
whose every write route is refused with a message while its data stays. The policy: application/billing/policy.py."""

from __future__ import annotations

import io
import re
import uuid
from pathlib import Path

import asyncpg
import pytest
import xlsxwriter
from litestar.routes import HTTPRoute

from stpulse.domain.billing import Tariff, TariffLimits
from stpulse.entrypoints.settings import Settings
from tests.integration.conftest import http_client
from tests.integration.money.loader import dsn
from tests.integration.test_tenancy import _account_a
from tests.integration.web_helpers import csrf, post_form, sign_up
from tests.services import REDIS_URL
from tests.unit.foundation.helpers import subscribe

QUOTA = 300  # bytes of documents per account in this module
PDF = b"%PDF-1.4 test"
UPGRADE_LINK = 'href="/app/billing"'
# Writes an expired account may still make: paying (billing), its own person (profile, password, e-mail, which
# account it works in), taking access away (revoking a token, removing a member, revoking an invitation) and the
# payer's requisites a «Счёт для юрлица» needs (adding or correcting a legal entity).
ALLOWED_READ_ONLY = re.compile(r"^/app/(billing/|profile$|password$|email$|switch/|alerts/read$|api-tokens/\{token_id:uuid\}/revoke$"
                               r"|team/members/\{membership_id:uuid\}/remove$|team/invitations/|legal-entities/new$"
                               r"|legal-entities/\{entity_id:uuid\}$)")


@pytest.fixture
def settings(pg_url: str, tmp_path: Path) -> Settings:
    return Settings(mode="production", database_url=pg_url, redis_url=REDIS_URL, data_dir=tmp_path,
                    base_url="http://testserver.local", embedded_worker=False, log_json=True,
                    documents_quota_bytes=QUOTA)


def _xlsx(rows: list[list[str]]) -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet()
    for i, row in enumerate(rows):
        ws.write_row(i, 0, row)
    wb.close()
    return buf.getvalue()


def _forms(ids: dict[str, uuid.UUID]) -> dict[str, dict]:
    """A valid request for every write route an expired account must be refused (so the refusal is the tariff's)."""
    sheet = {"file": ("s.xlsx", _xlsx([["Месяц", "Статья", "Сумма, ₽"], ["2026-01", "Аренда", "5"]]))}
    return {
        "/app/costs": {"data": {"offer_id": "A-1", "effective_from": "01.01.2026", "purchase": "10"}},
        "/app/costs/delete": {"data": {"offer_id": "A-1", "effective_from": "2026-01-01"}},
        "/app/costs/import": {"files": sheet}, "/app/expenses/import": {"files": sheet},
        "/app/expenses": {"data": {"month": "2026-02", "article": "Аренда", "amount": "10"}},
        "/app/documents/upload": {"files": {"file": ("b.pdf", PDF, "application/pdf")}},
        "/app/team/invite": {"data": {"email": "new@example.ru", "role": "analyst"}},
        "/app/team/members/{membership_id:uuid}": {"data": {"role": "manager"}},
        "/app/api-tokens": {"data": {"name": "B"}},
        "/app/shops/new": {"data": {"name": "Ещё", "client_id": "777777", "api_key": "key-777777-abcdef"}},
        "/app/shops/{shop_id:uuid}/key": {"data": {"api_key": "key-424242-abcdef"}},
        "/app/shops/{shop_id:uuid}/legal-entity": {"data": {"legal_entity_id": str(ids["entity_id"])}},
        "/app/shops/{shop_id:uuid}/disconnect": {"data": {"data": "delete", "confirm_name": "Магазин А"}},
        "/app/shops/{shop_id:uuid}/ads/{key_id:uuid}/remove": {"data": {"confirm": "yes"}},
        "/app/alerts/rules/{rule:str}": {"data": {"threshold": "5", "channel": "digest"}},
        "/app/models/import": {"files": {"file": ("m.xlsx", _xlsx([["Артикул", "Модель"], ["A-1", "Футболка"]]))}},
        "/app/plan/import": {"files": {"file": ("p.xlsx", _xlsx([["Месяц", "Магазин", "Артикул", "Выручка, ₽",
                                                                 "Продажи, шт", "Прибыль, ₽", "Реклама, ₽", "ДРР, %"],
                                                                ["2026-01", "Магазин А", "", "100"]]))}},
        "/app/planning/params/import": {"files": {"file": ("s.xlsx", _xlsx([[
            "Артикул", "Срок поставки, дн", "Запас на, дн", "Страховой запас, дн", "Кратность коробки, шт",
            "Минимальная партия, шт"], ["A-1", "14", "30", "7", "10", "20"]]))}},
        "/app/cash/import": {"files": {"file": ("c.xlsx", _xlsx([["Дата", "Счёт", "Статья", "Сумма, ₽", "Комментарий",
                                                                 "ID"], ["01.01.2026", "Касса", "Аренда", "-5", "", ""]]))}},
    }


async def test_an_expired_account_refuses_every_write_route_with_a_message_and_keeps_its_data(app, client, mailbox):
    ids = await _account_a(app, client, mailbox)
    deps = app.state.container.deps
    async with deps.uow() as uow:
        owner = await uow.users.get(ids["user_id"])
        account = await uow.accounts.get(ids["account_id"])
    await subscribe(deps, _Owner(account), "pro", days_ago=40)  # a month paid 40 days ago, grace over
    forms, headers, walked = _forms(ids), await csrf(client), []
    for route in app.routes:
        if not isinstance(route, HTTPRoute) or "POST" not in route.methods or not route.path.startswith("/app/"):
            continue
        if ALLOWED_READ_ONLY.match(route.path):
            continue
        path = route.path
        for name in re.findall(r"{(\w+):", path):
            path = re.sub(r"{" + name + r":\w+}", str({**ids, "rule": "margin_drop"}[name]), path)
        resp = await client.post(path, headers=headers, **forms.get(route.path, {}))
        assert resp.status_code == 402, f"POST {path} answered {resp.status_code}: {resp.text[:300]}"
        assert "только для просмотра, все данные сохранены" in resp.text and UPGRADE_LINK in resp.text, path
        walked.append(route.path)
    assert len(walked) >= 17, walked
    assert set(forms) - {"/app/api-tokens"} <= set(walked)
    async with deps.uow() as uow:  # every object is still there, nothing was added
        assert await uow.legal_entities.get(ids["account_id"], ids["entity_id"]) is not None
        assert await uow.documents.get(ids["account_id"], ids["doc_id"]) is not None
        assert await uow.opex.get(ids["account_id"], ids["expense_id"]) is not None
        assert await uow.shops.get(ids["account_id"], ids["shop_id"]) is not None
        assert await uow.shops.api_key(ids["shop_id"])
        assert len(await uow.memberships.for_account(ids["account_id"])) == 2
        assert (await uow.documents.for_account(ids["account_id"], 0, 10))[1] == 1
        assert len(await uow.api_tokens.for_user(ids["account_id"], owner.id)) == 1
    page = await client.get("/app/expenses")  # and it can all be read
    assert page.status_code == 200 and "Аренда" in page.text


async def test_a_never_subscribed_account_is_told_to_start_the_trial(app, client, mailbox):
    await sign_up(client, mailbox, "fresh@example.ru", trial=False)
    resp = await post_form(client, "/app/expenses", {"month": "2026-02", "article": "Аренда", "amount": "10"})
    assert resp.status_code == 402 and "начните пробный период или оплатите тариф" in resp.text
    assert UPGRADE_LINK in resp.text


async def test_start_tariff_has_no_api_and_no_team_over_http_and_the_json_api(app, client, mailbox):
    owner = await _owner(app, client, mailbox, "pro")
    made = await post_form(client, "/app/api-tokens/", {"name": "Скрипт"})
    raw = re.search(r"stp_[\w-]+", made.text).group(0)  # type: ignore[union-attr]
    api = {"Authorization": f"Bearer {raw}"}
    assert (await client.get("/api/v1/shops", headers=api)).status_code == 200
    await subscribe(app.state.container.deps, owner, "start")
    refused = await client.get("/api/v1/shops", headers=api)
    assert refused.status_code == 403 and refused.headers["content-type"].startswith("application/json")
    body = refused.json()
    assert "«Доступ по API» не входит в тариф «Старт»" in body["error"] and body["action_url"] == "/app/billing"
    for page_url in ("/app/team/", "/app/api-tokens/"):  # the pages say what the tariff lacks before anyone tries
        shown = await client.get(page_url)
        assert shown.status_code == 200 and "не входит в тариф «Старт»" in shown.text and UPGRADE_LINK in shown.text
    for url, form, feature in (("/app/api-tokens/", {"name": "Ещё"}, "Доступ по API"),
                               ("/app/team/invite", {"email": "m@example.ru", "role": "analyst"}, "Команда")):
        resp = await post_form(client, url, form)
        assert resp.status_code == 403 and f"«{feature}» не входит в тариф «Старт»" in resp.text, url
        assert UPGRADE_LINK in resp.text


async def test_export_only_in_a_tariff_with_export(app, client, mailbox):
    owner = await _owner(app, client, mailbox, _custom("noexport", features={"api_access"}))
    for url in ("/app/reports/pnl/export.xlsx", "/app/costs/export.xlsx"):
        resp = await client.get(url)
        assert resp.status_code == 403 and "«Выгрузка в Excel» не входит в тариф «Проба»" in resp.text, url
    await subscribe(app.state.container.deps, owner, "start")
    assert (await client.get("/app/costs/export.xlsx")).status_code == 200


async def test_history_months_over_the_page_and_the_json_api(app, client, mailbox):
    await _owner(app, client, mailbox, _custom("short", history_months=3, features={"api_access"}))
    raw = re.search(r"stp_[\w-]+", (await post_form(client, "/app/api-tokens/", {"name": "С"})).text).group(0)  # type: ignore[union-attr]
    resp = await client.get("/api/v1/reports/pnl?from=2024-01&to=2024-03", headers={"Authorization": f"Bearer {raw}"})
    assert resp.status_code == 403 and "история за 3 мес" in resp.json()["error"]
    page = await client.get("/app/reports/pnl?from=2024-01&to=2024-03")
    assert page.status_code == 200 and "история за 3 мес" in page.text


async def test_the_api_refuses_a_report_whose_feature_the_tariff_lacks(app, client, mailbox):
    """The token's tariff (read once, while the token is checked) is the one the report's own feature is checked on."""
    await _owner(app, client, mailbox, _custom("apionly", features={"api_access"}))
    raw = re.search(r"stp_[\w-]+", (await post_form(client, "/app/api-tokens/", {"name": "С"})).text).group(0)  # type: ignore[union-attr]
    api = {"Authorization": f"Bearer {raw}"}
    for code, feature in (("ads", "Отчёт по рекламе"), ("plan", "План-факт")):
        resp = await client.get(f"/api/v1/reports/{code}", headers=api)
        assert resp.status_code == 403 and f"«{feature}» не входит в тариф" in resp.json()["error"], code
    assert (await client.get("/api/v1/reports/pnl", headers=api)).status_code == 200


async def test_max_skus_refuses_the_per_sku_report_over_http_and_the_api(app, client, mailbox, pg_url):
    owner = await _owner(app, client, mailbox, _custom("fewskus", max_skus=2, features={"api_access"}))
    raw = re.search(r"stp_[\w-]+", (await post_form(client, "/app/api-tokens/", {"name": "С"})).text).group(0)  # type: ignore[union-attr]
    shop_id = await _shop(app, owner.account_id)
    conn = await asyncpg.connect(dsn(pg_url))
    try:
        await conn.executemany(
            "INSERT INTO ozon_products (shop_id, product_id, offer_id, sku, name, barcodes, price, archived, raw) "
            "VALUES ($1, $2, $3, $4, $5, '', 100, false, $6)",
            [(shop_id, k, f"A-{k}", 1000 + k, f"Товар {k}", b"{}") for k in range(1, 4)])
    finally:
        await conn.close()
    api = await client.get("/api/v1/reports/unit", headers={"Authorization": f"Bearer {raw}"})
    assert api.status_code == 402 and "до 2 SKU, в выбранных магазинах 3" in api.json()["error"]
    page = await client.get("/app/reports/unit")
    assert page.status_code == 402 and "до 2 SKU" in page.text and UPGRADE_LINK in page.text
    assert (await client.get("/app/reports/pnl")).status_code == 200  # the totals are never limited


async def test_max_shops_over_http(app, client, mailbox):
    owner = await _owner(app, client, mailbox, "start")
    await _shop(app, owner.account_id)
    resp = await post_form(client, "/app/shops/new", {"name": "Второй", "client_id": "777777",
                                                      "api_key": "key-777777-abcdef"})
    assert resp.status_code == 402 and "позволяет подключить магазинов: 1" in resp.text and UPGRADE_LINK in resp.text


async def test_storage_quota_over_http_names_the_quota(app, client, mailbox):
    await _owner(app, client, mailbox, "start")
    big = PDF + b"x" * 200
    first = await client.post("/app/documents/upload", files={"file": ("a.pdf", big, "application/pdf")},
                              headers=await csrf(client))
    assert first.status_code in (200, 303), first.text[:300]
    resp = await client.post("/app/documents/upload", files={"file": ("b.pdf", big, "application/pdf")},
                             headers=await csrf(client))
    assert resp.status_code == 402 and "Место для документов — 300\u00a0Б, занято 213\u00a0Б" in resp.text


# --- helpers ---

class _Owner:
    def __init__(self, account) -> None:  # type: ignore[no-untyped-def]
        self.account = account
        self.account_id = account.id


def _custom(code: str, *, max_skus: int = 1000, history_months: int = 12, features: set[str]) -> Tariff:
    return Tariff(code=code, name="Проба", monthly_price=100_00,
                  limits=TariffLimits(max_shops=1, max_skus=max_skus, history_months=history_months,
                                      features=frozenset(features)))


async def _owner(app, client, mailbox, tariff: str | Tariff) -> _Owner:  # type: ignore[no-untyped-def]
    email = f"{uuid.uuid4().hex[:8]}@example.ru"
    await sign_up(client, mailbox, email, trial=False)
    deps = app.state.container.deps
    async with deps.uow() as uow:
        user = await uow.users.by_email(email)
        account = await uow.accounts.get((await uow.memberships.for_user(user.id))[0].account_id)
    owner = _Owner(account)
    await subscribe(deps, owner, tariff)  # type: ignore[arg-type]
    return owner


async def _shop(app, account_id: uuid.UUID) -> uuid.UUID:  # type: ignore[no-untyped-def]
    from tests.integration.test_tenancy import _shop_of

    return await _shop_of(app.state.container.deps, account_id)


__all__ = ["http_client"]
