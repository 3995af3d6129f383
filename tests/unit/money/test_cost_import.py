"""Cost-price import: every bad file and bad row is refused with a Russian message; nothing is written."""

import asyncio
import datetime as dt
import io
import zipfile

import openpyxl
import pytest
import xlsxwriter

from stpulse.adapters.xlsx.costs import CalamineCostSheetReader, XlsxCostSheetWriter
from stpulse.application.costs.cogs_import import (
    HEADERS,
    NAME,
    TOTAL,
    SpreadsheetRejected,
    format_errors,
    import_costs,
    validate_cost_rows,
)
from stpulse.domain.costs.cogs import CostBook, CostPrice

KNOWN = frozenset({"A-1", "B-2", "12345"})
HEAD = [h for h in HEADERS if h not in (NAME, TOTAL)]  # what a person fills in


def xlsx(rows) -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet()
    for i, row in enumerate(rows):
        for j, v in enumerate(row):
            if isinstance(v, dt.date):
                ws.write_datetime(i, j, dt.datetime(v.year, v.month, v.day), wb.add_format({"num_format": "dd.mm.yyyy"}))
            elif v is not None:
                ws.write(i, j, v)
    wb.close()
    return buf.getvalue()


def read(rows):
    return CalamineCostSheetReader().read_rows(xlsx(rows))


def errors(rows):
    result = validate_cost_rows(read(rows), KNOWN)
    assert result.entries == () or not result.errors
    return format_errors(result)


def test_a_good_file_gives_exact_kopecks():
    result = validate_cost_rows(read([
        HEAD,
        ["A-1", dt.date(2026, 3, 10), 500.5, 30, 15.25, "0,75"],
        ["B-2", "01.02.2026", "1 234,56", None, None, None],
        [12345, "2026-01-01", 10, 0, 0, 0],  # Excel keeps the article 12345 as a number
        [None, None, None, None, None, None],  # empty rows are skipped
    ]), KNOWN)
    assert result.errors == ()
    assert result.entries == (
        CostPrice(offer_id="A-1", effective_from=dt.date(2026, 3, 10), purchase=50050, delivery=3000,
                  packaging=1525, marking=75),
        CostPrice(offer_id="B-2", effective_from=dt.date(2026, 2, 1), purchase=123456),
        CostPrice(offer_id="12345", effective_from=dt.date(2026, 1, 1), purchase=1000),
    )


def test_headers_in_any_order_but_required_ones_present():
    assert errors([["Дата начала действия", "Артикул", "Закупка"], ["01.01.2026", "A-1", 1]]) == []
    assert errors([["Артикул", "Цена"], ["A-1", 1]]) == [
        "Строка 1: Нет столбцов: «Дата начала действия», «Закупка, ₽». Скачайте шаблон и заполните его."]
    assert format_errors(validate_cost_rows([], KNOWN)) == ["Строка 1: Файл пустой"]


def test_every_bad_row_is_reported_by_its_number():
    assert errors([
        HEAD,
        ["Z-9", "01.01.2026", 1, 0, 0, 0],
        ["A-1", "01.01.2026", -5, 0, 0, 0],
        ["A-1", "02.01.2026", "сто", 0, 0, 0],
        ["A-1", "31.02.2026", 1, 0, 0, 0],
        ["B-2", "01.01.2026", 1, 0, 0, 0],
        ["B-2", "01.01.2026", 2, 0, 0, 0],
        ["", "03.01.2026", None, 0, 0, 0],
    ]) == [
        "Строка 2: артикул «Z-9» не найден в ваших магазинах",
        "Строка 3: «Закупка, ₽»: отрицательная сумма",
        "Строка 4: «Закупка, ₽»: текст «сто» вместо числа",
        "Строка 5: дата «31.02.2026» не распознана (нужно ДД.ММ.ГГГГ)",
        "Строка 7: повтор строки 6: тот же артикул и дата",
        "Строка 8: не указан артикул",
        "Строка 8: «Закупка, ₽»: не заполнено",
    ]


def test_not_an_xlsx_is_refused():
    with pytest.raises(SpreadsheetRejected) as err:
        CalamineCostSheetReader().read_rows("Артикул;Закупка\nA-1;1\n".encode())
    assert "не файл Excel" in err.value.message
    fake = io.BytesIO()
    with zipfile.ZipFile(fake, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(SpreadsheetRejected):
        CalamineCostSheetReader().read_rows(fake.getvalue())


def test_broken_workbook_is_refused():
    fake = io.BytesIO()
    with zipfile.ZipFile(fake, "w") as z:
        z.writestr("xl/workbook.xml", "<not a workbook")
    with pytest.raises(SpreadsheetRejected) as err:
        CalamineCostSheetReader().read_rows(fake.getvalue())
    assert "повреждён" in err.value.message


def test_over_the_size_limit():
    with pytest.raises(SpreadsheetRejected) as err:
        CalamineCostSheetReader(max_file_bytes=1024).read_rows(xlsx([HEAD]) + b"\0" * 2048)
    assert "больше" in err.value.message


def test_zip_bomb_is_refused_before_parsing():
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (60 * 1024 * 1024))
    assert len(bomb.getvalue()) < 200_000
    with pytest.raises(SpreadsheetRejected) as err:
        CalamineCostSheetReader().read_rows(bomb.getvalue())
    assert "слишком большой объём" in err.value.message


def test_export_then_import_round_trip():
    book = CostBook(entries=(
        CostPrice(offer_id="B-2", effective_from=dt.date(2026, 2, 1), purchase=123456, marking=1),
        CostPrice(offer_id="A-1", effective_from=dt.date(2026, 3, 10), purchase=50050, delivery=3000),
    ))
    data = XlsxCostSheetWriter().write_costs(book)
    assert openpyxl.load_workbook(io.BytesIO(data)).active.freeze_panes == "B2"
    result = validate_cost_rows(CalamineCostSheetReader().read_rows(data), KNOWN)
    assert result.errors == () and set(result.entries) == set(book.entries)


class FakeCosts:
    def __init__(self):
        self.book, self.saved = CostBook(entries=()), []

    async def cost_book(self, account_id):
        return self.book

    async def save_cost_prices(self, account_id, entries):
        self.saved.extend(entries)


class FakeCatalog:
    async def offer_ids(self, account_id):
        return KNOWN


def test_import_service_writes_all_or_nothing():
    costs = FakeCosts()
    run = lambda rows: asyncio.run(import_costs(1, xlsx(rows), reader=CalamineCostSheetReader(),  # noqa: E731
                                               catalog=FakeCatalog(), costs=costs, writer=costs))
    bad = run([HEAD, ["A-1", "01.01.2026", 1, 0, 0, 0], ["Z", "01.01.2026", 1, 0, 0, 0]])
    assert not bad.ok and bad.entries == () and costs.saved == []
    good = run([HEAD, ["A-1", "01.01.2026", 1, 0, 0, 0]])
    assert good.ok and len(costs.saved) == 1


def test_huge_amounts_are_refused_with_the_limit_and_numeric_cells_in_any_notation_are_read():
    """Issue 18.5: 999999999999999999999 or 1e25 used to reach the database (OverflowError, HTTP 500)."""
    from stpulse.application.costs.cogs_import import parse_money

    for huge in ("999999999999999999999", "10000000000000000000000000", 1e25, 1e20, 10**21):
        assert "больше 10 000 000 000 ₽" in str(parse_money(huge)).replace("\xa0", " "), huge
    assert parse_money(1.5e3) == 150_000 and parse_money(10_000_000_000) == 1_000_000_000_000
    assert parse_money(float("nan")) == "не число"
    assert "больше 10 000 000 000 ₽" in " ".join(errors([HEAD, ["A-1", dt.date(2026, 1, 1), 1e20, 0, 0, 0]])).replace("\xa0", " ")


async def test_typed_huge_cost_and_expense_are_field_errors(deps):
    from stpulse.application.costs import cost_book as costs
    from stpulse.application.costs import expenses
    from stpulse.domain.kernel.errors import ValidationError
    from tests.unit.foundation.helpers import actor_for

    owner = await actor_for(deps)
    with pytest.raises(ValidationError) as cost:
        await costs.save_cost(deps, owner, costs.CostForm(offer_id="A-1", effective_from="01.01.2026",
                                                          purchase="999999999999999999999"))
    assert "10 000 000 000 ₽" in cost.value.fields["purchase"].replace("\xa0", " ")
    with pytest.raises(ValidationError) as expense:
        await expenses.add_expense(deps, owner, expenses.ExpenseForm(month="2026-01", article="Аренда", amount="1e25"))
    assert "10 000 000 000 ₽" in expense.value.fields["amount"].replace("\xa0", " ")


def test_the_template_lists_the_offers_without_a_cost_with_names_and_reads_back():
    book = CostBook(entries=(CostPrice(offer_id="A-1", effective_from=dt.date(2026, 3, 10), purchase=50050),))
    names = {"A-1": "Кружка", "B-2": "Футболка", "12345": "Носки"}
    data = XlsxCostSheetWriter().write_costs(book, names)
    rows = CalamineCostSheetReader().read_rows(data)
    assert rows[0][:3] == ["Артикул", "Товар", "Дата начала действия"]
    assert [(r[0], r[1]) for r in rows[1:]] == [("12345", "Носки"), ("B-2", "Футболка"), ("A-1", "Кружка")]
    result = validate_cost_rows(rows, KNOWN)  # the lines left without a price are skipped, not refused
    assert result.errors == () and result.entries == book.entries
    rows[2][2], rows[2][3] = "01.04.2026", 99.5  # the seller fills one line in
    result = validate_cost_rows(rows, KNOWN)
    assert result.errors == () and CostPrice(offer_id="B-2", effective_from=dt.date(2026, 4, 1),
                                             purchase=9950) in result.entries
