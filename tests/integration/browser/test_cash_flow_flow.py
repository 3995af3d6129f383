"""ДДС as a seller meets it at 1440 × 900: a bank account with its opening balance, an entry by the form (a bad
amount is named next to the field), a file imported, the entries downloaded as xlsx, the report with its sections
and every account's balances, nothing wider than the screen."""

from __future__ import annotations

import io

import openpyxl
import pytest
import xlsxwriter
from playwright.sync_api import Page, expect

from tests.integration.browser.seller import log_in, seed_seller

pytestmark = pytest.mark.browser


def _file(path) -> str:  # type: ignore[no-untyped-def]
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet()
    for i, row in enumerate([["Дата", "Счёт", "Статья", "Сумма, ₽", "Комментарий"],
                             ["05.07.2026", "Расчётный счёт", "Оплата поставщикам", 120000, "партия"],
                             ["20.07.2026", "Расчётный счёт", "Получение кредитов и займов", 300000, "кредит"]]):
        ws.write_row(i, 0, row)
    wb.close()
    path.write_bytes(buf.getvalue())
    return str(path)


def test_cash_flow_entries_by_form_and_file_then_the_report(live_server, page: Page, pg_url: str, tmp_path):
    seed_seller(live_server, pg_url, shops=1)
    base = live_server.url
    page.set_viewport_size({"width": 1440, "height": 900})
    log_in(page, base)
    page.click("#sidebar >> text=Счета и платежи")
    expect(page).to_have_url(base + "/app/cash")
    expect(page.locator("#cash-entries")).to_contain_text("записей нет")  # the empty state says what to do

    page.fill("#account-form #f-name", "Расчётный счёт")
    page.fill("#account-form #f-opening_date", "01.06.2026")
    page.fill("#account-form #f-opening_balance", "250 000")
    page.check("#f-receives_payouts")
    page.click("#account-form button[type=submit]")
    expect(page.locator("#cash-accounts tr[data-account='Расчётный счёт']")).to_contain_text("250 000,00")

    form = page.locator("#entry-form")
    form.locator("#f-date").fill("10.07.2026")
    form.locator("#f-money_account_id").select_option(label="Расчётный счёт")
    form.locator("#f-category_id").select_option(label="Аренда (платёж)")
    form.locator("#f-amount").fill("сорок тысяч")
    form.locator("button[type=submit]").click()
    error = page.locator("#entry-form [data-error=amount]")
    expect(error).to_have_text("Введите сумму числом, например 1500,50")
    field, message = page.locator("#entry-form #f-amount").bounding_box(), error.bounding_box()
    assert 0 <= message["y"] - (field["y"] + field["height"]) < 30 and abs(message["x"] - field["x"]) < 5  # beside it
    expect(page.locator("#entry-form #f-date")).to_have_value("10.07.2026")  # what was typed stays
    page.locator("#entry-form #f-money_account_id").select_option(label="Расчётный счёт")
    page.locator("#entry-form #f-category_id").select_option(label="Аренда (платёж)")
    page.locator("#entry-form #f-amount").fill("40 000")
    page.locator("#entry-form button[type=submit]").click()
    expect(page.locator("#cash-entries tbody tr")).to_have_count(1)

    page.set_input_files("#import-form input[type=file]", _file(tmp_path / "dds.xlsx"))
    page.click("#import-form button[type=submit]")
    expect(page.locator("#cash-entries tbody tr")).to_have_count(3)
    expect(page.locator("#cash-entries")).to_contain_text("Получение кредитов и займов")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1440
    page.screenshot(path=str(tmp_path / "cash.png"), full_page=True)

    with page.expect_download() as download:
        page.click("[data-export=cash]")
    data = io.BytesIO(open(download.value.path(), "rb").read())  # noqa: SIM115
    rows = list(openpyxl.load_workbook(data).active.iter_rows(values_only=True))
    assert rows[0][:5] == ("Дата", "Счёт", "Статья", "Сумма, ₽", "Комментарий") and len(rows) == 4
    assert sorted(r[3] for r in rows[1:]) == [40000, 120000, 300000]

    page.click("text=Открыть отчёт ДДС")
    page.goto(base + "/app/reports/cash?from=2026-06&to=2026-08")
    table = page.locator("table").first
    for text in ("Операционная деятельность", "Выплаты Ozon", "Финансовая деятельность", "Чистый денежный поток",
                 "Расчётный счёт: на конец", "Баланс Ozon — Магазин 31: на конец"):
        expect(table).to_contain_text(text)
    expect(page.locator("body")).to_contain_text("Выплаты Ozon ещё не загружены")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1440
    page.screenshot(path=str(tmp_path / "cash-report.png"), full_page=True)
