"""The report registry: each entry's rules decide highlights, notes, drill-downs and columns in the domain rows;
the xlsx writer only renders them; figures are formatted in one place."""

import io

import openpyxl
import pytest
from msgspec.structs import replace

from stpulse.adapters.xlsx.reports import XlsxReportWriter
from stpulse.domain.kernel.errors import NotFound
from stpulse.domain.kernel.formatting import format_count, format_percent, format_rub
from stpulse.domain.kernel.moscow import moscow_today
from stpulse.domain.reports.kinds import RollupGrain, Selection
from stpulse.domain.reports.registry import PNL, REPORTS, UNIT, report_kind
from stpulse.domain.reports.table import Highlight, Kind, format_value
from tests.unit.money.test_reports_worked import INPUTS

RED = "FFC00000"


def test_pnl_and_unit_are_the_first_two_entries_with_their_grain_and_titles():
    assert list(REPORTS)[:2] == ["pnl", "unit"]
    assert (PNL.title, PNL.grain, UNIT.title, UNIT.grain) == ("ОПиУ", RollupGrain.BY_MONTH, "Юнитка", RollupGrain.BY_SKU)
    assert [m.code for m in UNIT.metrics] == [c.code for c in UNIT.columns] and all(m.default for m in UNIT.metrics)
    assert [o.code for o in UNIT.options] == ["alloc"] and not PNL.options
    with pytest.raises(NotFound):
        report_kind("nope")


def test_pnl_result_rows_carry_their_losses_and_only_they_do():
    table = PNL.render(INPUTS, Selection())
    assert table.code == "pnl" and table.title == "ОПиУ"
    net = table.row("net_profit")
    assert net.values[1] < 0 and net.marks == (None, Highlight.LOSS) and net.total_mark is None
    assert table.row("gross_profit").marks == (None, Highlight.LOSS)
    cogs = table.row("cogs")  # an expense is negative by sign, not a loss
    assert cogs.values[0] < 0 and not cogs.marks and cogs.total_mark is None


def test_pnl_rows_made_of_accruals_open_a_drill_down():
    table = PNL.render(INPUTS, Selection())
    assert table.row("revenue").drill and table.row("ozon:logistics").drill and table.row("compensations").drill
    assert not table.row("ebitda").drill and not table.row("cogs").drill and not table.row("net_profit").drill
    assert PNL.drill("ozon:logistics").article == "logistics" and PNL.drill("ebitda") is None


def test_unit_profit_columns_marked_and_sku_without_cost_flagged_as_a_warning():
    table = UNIT.render(replace(INPUTS, costs=None), Selection())
    profit = [c.code for c in table.columns].index("profit")
    skus = [r for r in table.rows if r.code not in ("total", "unallocated")]
    assert skus and all(r.highlight is Highlight.WARNING and r.note == "Нет себестоимости" for r in skus)
    for r in table.rows:
        v = r.values[profit]
        assert r.mark(profit) is (Highlight.LOSS if v is not None and v < 0 else None)
        assert r.mark(0) is None  # units sold are never a loss
    costed = UNIT.render(INPUTS, Selection())
    assert all(r.highlight is None for r in costed.rows)


def test_chosen_metrics_keep_only_their_columns_and_marks():
    table = UNIT.render(INPUTS, Selection())
    shown = UNIT.shown(table, Selection(metrics=("revenue", "profit", "bogus")))
    assert [c.code for c in shown.columns] == ["revenue", "profit"]
    assert all(len(r.values) == 2 for r in shown.rows)
    assert UNIT.shown(table, Selection()) is table  # the default set: every column, the same (cached) object


def test_xlsx_renders_the_rows_highlights_and_nothing_else():
    table = PNL.render(INPUTS, Selection())
    ws = openpyxl.load_workbook(io.BytesIO(XlsxReportWriter().write_table(table))).active
    by_label = {ws.cell(i, 1).value.strip(): i for i in range(2, ws.max_row + 1) if ws.cell(i, 1).value}
    net, ozon = by_label["Чистая прибыль"], by_label["Расходы Ozon"]
    assert ws.cell(net, 3).font.color.rgb == RED and (ws.cell(net, 2).font.color is None
                                                      or ws.cell(net, 2).font.color.rgb != RED)
    assert all(ws.cell(ozon, j).font.color is None or ws.cell(ozon, j).font.color.rgb != RED for j in (2, 3, 4))
    unit = UNIT.render(replace(INPUTS, costs=None), Selection())
    ws = openpyxl.load_workbook(io.BytesIO(XlsxReportWriter().write_table(unit))).active
    assert ws.cell(2, 1).fill.fgColor.rgb.endswith("FFF3CD")  # the first SKU has no cost price


def test_figures_are_formatted_in_one_place():
    assert format_rub(-123456789) == "−1\u00a0234\u00a0567,89\u00a0₽"
    assert format_value(-123456789, Kind.MONEY) == "−1\u00a0234\u00a0567,89"
    assert format_value(1234, "percent") == format_percent(1234) == "12,34\u00a0%"
    assert format_value(-1500, Kind.COUNT) == format_count(-1500) == "−1\u00a0500"
    assert format_value(45, Kind.DAYS) == "45" and format_value(None, Kind.MONEY) == "—"


def test_moscow_date_turns_at_21_utc():
    import datetime as dt

    assert moscow_today(dt.datetime(2026, 11, 30, 20, 59, tzinfo=dt.UTC)) == dt.date(2026, 11, 30)
    assert moscow_today(dt.datetime(2026, 11, 30, 21, 0, tzinfo=dt.UTC)) == dt.date(2026, 12, 1)


def test_drill_subtotals_fold_by_key_largest_first_without_a_key_last():
    from stpulse.domain.reports.drill import fold, product_label, type_label

    rows = [(32, 2, 2, -500), (None, 1, 0, -900), (29, 1, 1, -100), (32, 1, 1, -600), (0, 1, 0, 200)]
    assert fold(rows) == [(32, 3, 3, -1_100), (0, 2, 0, -700), (29, 1, 1, -100)]
    assert fold([(5, 1, 0, -10), (0, 1, 0, 10), (3, 1, 0, 10)]) == [(3, 1, 0, 10), (5, 1, 0, -10), (0, 1, 0, 10)]
    assert type_label(32, {32: "Логистика"}) == "Логистика (32)"
    assert type_label(77, {}).startswith("Тип 77") and type_label(None, {}) == "без типа"
    assert product_label(5, {5: ("ART-1", "Кружка")}) == "ART-1 — Кружка" and product_label(6, {}) == "SKU 6"
