"""xlsx export: write, read back with openpyxl — same numbers, frozen header row and first column."""

import io
from decimal import Decimal

import openpyxl
import pytest

from stpulse.adapters.xlsx.reports import XlsxReportWriter
from stpulse.domain.reports.cube import AllocationRule
from stpulse.domain.reports.pnl import build_pnl
from stpulse.domain.reports.table import Kind
from stpulse.domain.reports.unit_economics import build_unit_economics
from tests.unit.money.test_reports_worked import INPUTS

SCALE = {Kind.MONEY: 100, Kind.PERCENT: 10_000, Kind.COUNT: 1}


def back(value, kind):
    return None if value is None else int(Decimal(str(value)) * SCALE[kind])


@pytest.mark.parametrize("table", [build_pnl(INPUTS), build_unit_economics(INPUTS, AllocationRule.NONE)],
                         ids=["pnl", "unit_economics"])
def test_round_trip_same_numbers_and_frozen_panes(table):
    ws = openpyxl.load_workbook(io.BytesIO(XlsxReportWriter().write_table(table))).active
    assert ws.freeze_panes == "B2"
    header = [c.value for c in ws[1]]
    assert header[0] == table.first_header and header[1:1 + len(table.columns)] == [c.label for c in table.columns]
    for i, row in enumerate(table.rows, start=2):
        cells = [c.value for c in ws[i]]
        assert cells[0].strip() == row.label
        for j, col in enumerate(table.columns, start=1):
            kind = table.cell_kind(row, col)
            assert back(cells[j], kind) == row.values[j - 1], (row.code, col.code)
            if cells[j] is not None:
                assert ws.cell(i, j + 1).number_format == {"money": "#,##0.00", "percent": "0.00%",
                                                           "count": "#,##0"}[kind]
        if table.total_label:
            assert back(cells[len(table.columns) + 1], row.kind) == row.total


def test_pnl_file_carries_the_tax_rule_and_totals_column():
    table = build_pnl(INPUTS)
    ws = openpyxl.load_workbook(io.BytesIO(XlsxReportWriter().write_table(table))).active
    header = [c.value for c in ws[1]]
    assert header[-2:] == ["Итого", "Примечание"]
    tax_row = next(r for r in ws.iter_rows(values_only=True) if r[0] == "Налог (оценка)")
    assert tax_row[-1].startswith("Оценка по месяцам") and tax_row[-2] == -240.0
