"""ДДС over HTTP on PostgreSQL: accounts and entries by form (errors next to the field), xlsx import (all or nothing,
errors by row) and export that imports back unchanged, the report's balance identity per account and month, and
who sees what (another account, a member restricted to one shop)."""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest

from stpulse.adapters.sandbox.ozon.world import SellerWorld
from stpulse.adapters.xlsx.costs import CalamineCostSheetReader
from stpulse.application.accounts.actor import Actor
from stpulse.application.reports.views import ReportRequest, build_report
from stpulse.domain.ledger.accruals import AccrualLine
from stpulse.domain.reports.table import Table
from tests.integration.conftest import http_client
from tests.integration.money.loader import add_shop, load_lines
from tests.integration.money.test_money_cabinet import xlsx
from tests.integration.test_tenancy import _join
from tests.integration.web_helpers import csrf, post_form, sign_up

FIRST, LAST = dt.date(2026, 4, 1), dt.date(2026, 6, 30)
HEAD = ["Дата", "Счёт", "Статья", "Сумма, ₽", "Комментарий"]


@pytest.fixture(scope="module")
def lines() -> list[AccrualLine]:
    return list(SellerWorld(12, "small").accrual_lines(FIRST, LAST))


async def _actor(deps, email: str) -> Actor:  # type: ignore[no-untyped-def]
    async with deps.uow() as uow:
        user = await uow.users.by_email(email)
        membership = (await uow.memberships.for_user(user.id))[0]
        account = await uow.accounts.get(membership.account_id)
    return Actor(user=user, account=account, membership=membership)


async def _owner(app, client, mailbox, email: str = "cash@example.ru"):  # type: ignore[no-untyped-def]
    await sign_up(client, mailbox, email, "ДДС")
    actor = await _actor(app.state.container.deps, email)
    for name, kind, balance in (("Расчётный счёт", "bank", "100000"), ("Касса", "cash", "5000")):
        resp = await post_form(client, "/app/cash/accounts", {"name": name, "kind": kind, "opening_date": "01.03.2026",
                                                              "opening_balance": balance})
        assert resp.status_code in (200, 303), resp.text
    assert (await client.get("/app/cash")).status_code == 200  # the account's first visit makes the usual categories
    return actor


async def _entries(deps, actor: Actor):  # type: ignore[no-untyped-def]
    async with deps.uow() as uow:
        return await uow.cash.all_entries(actor.account_id)


async def _import(client, data: bytes):  # type: ignore[no-untyped-def]
    return await client.post("/app/cash/import", files={"file": ("dds.xlsx", data)}, headers=await csrf(client))


async def _cash_table(deps, actor: Actor) -> Table:  # type: ignore[no-untyped-def]
    view = await build_report(deps, actor, "cash", ReportRequest(month_from="2026-03", month_to="2026-06"))
    assert view.table is not None
    return view.table


def _assert_identity(table: Table) -> set[str]:
    """closing = opening + receipts − payments for every account and month; next month opens where this closed."""
    accounts = {r.code.rsplit(":", 1)[0] for r in table.rows if r.code.startswith("account:")}
    for key in accounts:
        opening, closing = table.row(f"{key}:opening").values, table.row(f"{key}:closing").values
        inflow, outflow = table.row(f"{key}:in").values, table.row(f"{key}:out").values
        for i in range(len(opening)):
            assert closing[i] == opening[i] + inflow[i] + outflow[i], (key, i)  # payments are shown negative
            assert i == 0 or opening[i] == closing[i - 1], (key, i)
    return accounts


async def test_entries_by_form_and_file_make_a_dds_whose_accounts_balance(app, client, mailbox, lines, pg_url):
    deps = app.state.container.deps
    actor = await _owner(app, client, mailbox)
    shop_id = await add_shop(pg_url, actor.account_id, "Малый", "1001")
    await load_lines(pg_url, shop_id, lines)
    page = await client.get("/app/cash")
    assert page.status_code == 200 and 'data-account="Касса"' in page.text and "Оплата поставщикам" in page.text
    bad = await post_form(client, "/app/cash/entries", {"date": "вчера", "amount": "сто рублей"})
    assert bad.status_code == 422
    for field in ("date", "money_account_id", "category_id", "amount"):
        assert f'data-error="{field}"' in bad.text, field
    assert "Введите сумму числом" in bad.text and await _entries(deps, actor) == []
    form = {a: v for a, v in ((await _ids(deps, actor)).items())}
    resp = await post_form(client, "/app/cash/entries", {"date": "10.04.2026", "money_account_id": form["Расчётный счёт"],
                                                         "category_id": form["Аренда"], "amount": "30 000,50",
                                                         "comment": "апрель"})
    assert resp.status_code in (200, 303), resp.text
    rows = [HEAD, ["05.05.2026", "Расчётный счёт", "Оплата поставщикам", 120000, "партия"],
            ["06.05.2026", "касса", "Прочие поступления", "1 500,25", ""],
            [dt.datetime(2026, 6, 1), "Расчётный счёт", "Получение кредитов и займов", 500000.0, "кредит"]]
    resp = await _import(client, xlsx(rows))
    assert resp.status_code in (200, 303), resp.text
    assert len(await _entries(deps, actor)) == 4

    table = await _cash_table(deps, actor)
    assert len(_assert_identity(table)) == 3  # bank, cash and the shop's Ozon balance
    bank = next(r.code.rsplit(":", 1)[0] for r in table.rows if r.label == "Расчётный счёт: на конец")
    assert table.row(f"{bank}:closing").values[-1] == 100_000_00 - 30_000_50 - 120_000_00 + 500_000_00
    assert table.row("net:financing").values == (0, 0, 0, 500_000_00)
    ozon = next(r.code.rsplit(":", 1)[0] for r in table.rows if r.label.startswith("Баланс Ozon — Малый"))
    accrued = sum(x.amount for x in lines)
    assert table.row(f"{ozon}:closing").values[-1] == accrued  # no payout imported yet: everything accrued is there
    assert table.warnings and "Выплаты Ozon ещё не загружены" in table.warnings[0]
    report = await client.get("/app/reports/cash?from=2026-03&to=2026-06")
    assert report.status_code == 200 and "Операционная деятельность" in report.text and "Касса: на конец" in report.text
    sheet = await client.get("/app/reports/cash/export.xlsx?from=2026-03&to=2026-06")  # the registry's xlsx
    assert sheet.status_code == 200 and sheet.content[:2] == b"PK"
    cells = [c for row in CalamineCostSheetReader(isolated=False).read_rows(sheet.content) for c in row]
    assert "Чистый денежный поток" in cells and "Касса: на конец" in cells

    exported = await client.get("/app/cash/export.xlsx")
    assert exported.status_code == 200 and exported.content[:2] == b"PK"
    before = sorted((e.id, e.date, e.money_account_id, e.category_id, e.amount, e.comment)
                    for e in await _entries(deps, actor))
    resp = await _import(client, exported.content)  # the same file back: the same entries, none doubled
    assert resp.status_code in (200, 303)
    after = sorted((e.id, e.date, e.money_account_id, e.category_id, e.amount, e.comment)
                   for e in await _entries(deps, actor))
    assert after == before
    sheet = CalamineCostSheetReader(isolated=False).read_rows(exported.content)
    assert sheet[0][:5] == HEAD and len(sheet) == 5
    async with http_client(app) as other:  # another account with the same accounts takes the file as new entries
        stranger = await _owner(app, other, mailbox, "other@example.ru")
        resp = await _import(other, exported.content)
        assert resp.status_code in (200, 303), resp.text
        theirs = await _entries(deps, stranger)
    assert sorted((e.date, e.amount, e.comment) for e in theirs) == sorted((b[1], b[4], b[5]) for b in before)
    assert not {e.id for e in theirs} & {b[0] for b in before}
    assert len(await _entries(deps, actor)) == 4


async def _ids(deps, actor: Actor) -> dict[str, str]:  # type: ignore[no-untyped-def]
    async with deps.uow() as uow:
        accounts = await uow.cash.accounts(actor.account_id)
        categories = await uow.cash.categories(actor.account_id)
    return {x.name: str(x.id) for x in [*accounts, *categories]}


async def test_a_bad_file_is_refused_with_errors_by_row_and_writes_nothing(app, client, mailbox):
    deps = app.state.container.deps
    actor = await _owner(app, client, mailbox)
    good = ["05.05.2026", "Расчётный счёт", "Аренда", 1000, ""]
    cases = {
        "wrong headers": ([["Когда", "Куда", "Сколько"], good[:3]], "Строка 1: Нет столбцов"),
        "text in amounts": ([HEAD, good, ["06.05.2026", "Касса", "Аренда", "сто рублей", ""]],
                            "Строка 3: «Сумма, ₽»: текст «сто рублей» вместо числа"),
        "unknown category": ([HEAD, good, good, ["07.05.2026", "Касса", "Казино", 10, ""]],
                             "Строка 4: статья «Казино» не найдена"),
        "unknown account": ([HEAD, ["07.05.2026", "Сейф", "Аренда", 10, ""]], "Строка 2: счёт «Сейф» не найден"),
        "bad date": ([HEAD, ["завтра", "Касса", "Аренда", 10, ""]], "Строка 2: дата «завтра» не распознана"),
        "before the opening": ([HEAD, ["01.01.2026", "Касса", "Аренда", 10, ""]],
                               "Строка 2: дата раньше начального остатка счёта «Касса»"),
    }
    for name, (rows, message) in cases.items():
        resp = await _import(client, xlsx(rows))
        assert resp.status_code == 422 and "Файл не загружен, ничего не записано" in resp.text, name
        assert message in resp.text.replace("&laquo;", "«").replace("&raquo;", "»"), (name, resp.text[-3000:])
    for data in (b"not an xlsx at all", b"PK\x03\x04" + b"\0" * 100):
        resp = await _import(client, data)
        assert resp.status_code == 422 and "Это не файл Excel" in resp.text
    assert await _entries(deps, actor) == []


async def test_other_accounts_and_restricted_members_do_not_reach_the_money(app, client, mailbox, lines, pg_url):
    deps = app.state.container.deps
    actor = await _owner(app, client, mailbox)
    mine = await add_shop(pg_url, actor.account_id, "Свой магазин", "111")
    other = await add_shop(pg_url, actor.account_id, "Чужой магазин", "222")
    await load_lines(pg_url, mine, lines[: len(lines) // 2])
    await load_lines(pg_url, other, lines[len(lines) // 2:])
    ids = await _ids(deps, actor)
    await post_form(client, "/app/cash/entries", {"date": "10.04.2026", "money_account_id": ids["Касса"],
                                                  "category_id": ids["Аренда"], "amount": "700"})
    entry = (await _entries(deps, actor))[0]
    async with http_client(app) as b:
        await _owner(app, b, mailbox, "b@example.ru")
        headers = await csrf(b)
        for path in (f"/app/cash/entries/{entry.id}/delete", f"/app/cash/accounts/{ids['Касса']}/delete",
                     f"/app/cash/categories/{ids['Аренда']}/delete"):
            assert (await b.post(path, headers=headers)).status_code == 404, path
        resp = await post_form(b, "/app/cash/entries", {"date": "10.04.2026", "money_account_id": ids["Касса"],
                                                        "category_id": ids["Аренда"], "amount": "1"})
        assert resp.status_code == 422  # A's account and category are not B's: not offered, not found
    assert len(await _entries(deps, actor)) == 1
    manager = await _join(app, client, mailbox, "manager@example.ru", "accountant", mine)
    async with contextlib.aclosing(manager):
        assert (await manager.get("/app/cash")).status_code == 403  # bank and cash belong to the whole account
        assert (await manager.get("/app/cash/export.xlsx")).status_code == 403
        report = await manager.get("/app/reports/cash?from=2026-03&to=2026-06")
        assert report.status_code == 200 and "Баланс Ozon — Свой магазин" in report.text
        assert "Чужой магазин" not in report.text and "Касса" not in report.text
    table = await _cash_table(deps, await _actor(deps, "manager@example.ru"))
    assert _assert_identity(table) and not any("Касса" in r.label for r in table.rows)
    owner_table = await _cash_table(deps, actor)  # the owner's table is another one, not the member's from the cache
    assert any("Касса" in r.label for r in owner_table.rows) and any("Чужой" in r.label for r in owner_table.rows)


async def test_accounts_and_categories_are_edited_in_place(app, client, mailbox):
    deps = app.state.container.deps
    actor = await _owner(app, client, mailbox)
    ids = await _ids(deps, actor)
    page = await client.get("/app/cash")
    assert 'data-edit-account="Касса"' in page.text and 'data-edit-category="Аренда"' in page.text
    resp = await post_form(client, "/app/cash/accounts", {"id": ids["Касса"], "name": "Сейф", "kind": "cash",
                                                          "opening_date": "01.02.2026", "opening_balance": "-1 250,5"})
    assert resp.status_code in (200, 303), resp.text
    resp = await post_form(client, "/app/cash/categories", {"id": ids["Аренда"], "name": "Аренда склада",
                                                            "activity": "operating", "flow": "payment"})
    assert resp.status_code in (200, 303), resp.text
    clash = await post_form(client, "/app/cash/categories", {"id": ids["Зарплата"], "name": "аренда склада",
                                                             "activity": "operating", "flow": "payment"})
    assert clash.status_code == 422 and "уже есть" in clash.text
    async with deps.uow() as uow:
        till = next(a for a in await uow.cash.accounts(actor.account_id) if str(a.id) == ids["Касса"])
        names = {c.name for c in await uow.cash.categories(actor.account_id)}
    assert (till.name, till.opening_balance, till.opening_date) == ("Сейф", -1_250_50, dt.date(2026, 2, 1))
    assert "Аренда склада" in names and "Аренда" not in names and "Зарплата" in names
