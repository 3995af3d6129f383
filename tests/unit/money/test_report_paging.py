"""Issue 19, load: a long report (Юнитка of 530 SKUs, about 1 MB of HTML whole) is served in pages of at most
200 KB (the page's layout adds ~20 KB); the «Итого» row stays on every page and the xlsx keeps every row."""

from __future__ import annotations

import io
from types import SimpleNamespace

import msgspec
import openpyxl

from stpulse.adapters.xlsx.reports import XlsxReportWriter
from stpulse.domain.reports.registry import report_kind
from stpulse.domain.reports.table import Highlight, Kind, Row, Table, format_value, table_page
from stpulse.domain.reports.unit_metrics import COLUMNS
from stpulse.entrypoints.settings import Settings
from stpulse.entrypoints.web.app import create_app
from stpulse.entrypoints.web.reports import rows as rows_module
from stpulse.entrypoints.web.reports.pages import HIGHLIGHT_CLASSES
from stpulse.entrypoints.web.reports.rows import month_choices, page_links, page_of, rows_html

N_SKUS = 530


def _unit_table(n: int = N_SKUS) -> Table:
    values = tuple(-123_456_789 + i * 7 for i in range(len(COLUMNS)))
    rows = [Row(code=f"00000000-0000-0000-0000-000000000001:{1_000_000 + i}", kind=Kind.MONEY, values=values,
                label=f"Футболка хлопковая оверсайз, размер {i % 7 + 42}, цвет «графит» — артикул {i}",
                note="Нет себестоимости" if i % 3 == 0 else "", highlight=Highlight.WARNING if i % 3 == 0 else None)
            for i in range(n)]
    rows.append(Row(code="total", label="Итого", kind=Kind.MONEY, values=values, emphasis=True))
    return Table(code="unit_economics", title="Юнит-экономика", period="2025-09 — 2026-08", first_header="Товар",
                 columns=COLUMNS, rows=tuple(rows), total_label=None)


def _html(table: Table, page: int, tmp_path) -> str:  # type: ignore[no-untyped-def]
    app = create_app(Settings(data_dir=tmp_path))
    template = app.template_engine.get_template("reports/partials/report_body.html")  # type: ignore[union-attr]
    view = SimpleNamespace(table=table, notices=(), no_entity=(), recon_gap=None)
    request = SimpleNamespace(headers={})
    return template.render(view=view, rows=table_page(table, page), request=request, fmt=format_value, rows_html=rows_html,
                           css=HIGHLIGHT_CLASSES, qs="from=2025-09&to=2026-08", report=report_kind("unit"))


def test_pages_keep_every_row_once_and_the_total_on_each():
    table = _unit_table()
    pages = [table_page(table, p) for p in range(1, 13)]
    assert pages[0].pages == 11 and pages[-1].page == 11  # a page past the end shows the last
    plain = [r.code for p in pages[:11] for r in p.rows if not r.emphasis]
    assert len(plain) == len(set(plain)) == N_SKUS
    assert all(p.rows[-1].code == "total" for p in pages)
    assert (pages[1].first, pages[1].last, pages[1].count) == (51, 100, N_SKUS)


def test_the_page_request_splits_a_table_once_and_pages_it_as_table_page_does(monkeypatch):
    table, splits = _unit_table(), []
    real = rows_module.split_rows
    monkeypatch.setattr(rows_module, "split_rows", lambda t: splits.append(t) or real(t))
    assert [page_of(table, p) for p in range(1, 13)] == [table_page(table, p) for p in range(1, 13)]
    assert splits == [table]  # the same table object: split once, then sliced
    again = msgspec.structs.replace(table, rows=table.rows[:-2] + table.rows[-1:])  # an equal-sized new table
    assert page_of(again, 11) == table_page(again, 11) != page_of(table, 11)
    assert len(splits) == 2 and splits[1] is again


def test_a_short_table_is_shown_whole():
    short = _unit_table(40)
    assert table_page(short, 3).rows == short.rows and table_page(short, 3).pages == 1


def test_a_page_of_the_long_unit_report_is_at_most_200_kb_and_the_xlsx_has_every_row(tmp_path):
    table = _unit_table()
    whole = len(_html(table, 1, tmp_path).encode()) * len(table.rows) / 51  # the page's rows scaled to all
    sizes = [len(_html(table, p, tmp_path).encode()) for p in (1, 11)]
    assert max(sizes) <= 200 * 1024, sizes
    assert whole > 400 * 1024  # unpaged it would not fit: the paging is what keeps it small
    html = _html(table, 2, tmp_path)
    assert "Строки 51–100 из 530" in html and 'data-pages="11"' in html and "page=3" in html
    sheet = openpyxl.load_workbook(io.BytesIO(XlsxReportWriter().write_table(table))).active
    assert sum(1 for row in sheet.iter_rows(values_only=True) if row[0] and "артикул" in str(row[0])) == N_SKUS


def test_rows_html_escapes_every_label_note_and_code():
    row = Row(code='x"><script>', label="<script>alert(1)</script>", kind=Kind.MONEY, values=(1,) * len(COLUMNS),
              note="<b>note</b>", drill=True, marks=(Highlight.LOSS,) + (None,) * (len(COLUMNS) - 1))
    table = Table(code="unit", title="t", period="p", first_header="Товар", columns=COLUMNS, rows=(row,))
    html = str(rows_html(table, table.rows, "from=2025-09&to=2026-08", HIGHLIGHT_CLASSES))
    assert "<script>" not in html and "&lt;script&gt;" in html and "&lt;b&gt;note" in html
    assert 'class="drill-link"' in html and "row=x&#34;&gt;&lt;script&gt;&amp;from=2025-09" in html
    assert 'class="text-end text-nowrap text-danger"' in html  # the marked cell


def test_a_cached_tables_page_is_formatted_once_and_new_rows_are_formatted_again():
    """The HTML of a page is kept per process for the very Row objects of a cached table (issue 19, load): the
    same rows give the same string object; equal rows that are new objects, or another query, are rendered anew."""
    import msgspec

    table = _unit_table(120)
    page = table_page(table, 2).rows
    first = rows_html(table, page, "from=2025-09&to=2026-08", HIGHLIGHT_CLASSES)
    assert rows_html(table, tuple(page), "from=2025-09&to=2026-08", HIGHLIGHT_CLASSES) is first
    copies = tuple(msgspec.structs.replace(r) for r in page)  # equal content, new objects (a recomputed table)
    again = rows_html(table, copies, "from=2025-09&to=2026-08", HIGHLIGHT_CLASSES)
    assert again == first and again is not first
    changed = (msgspec.structs.replace(page[0], label="Другой товар"), *page[1:])
    assert "Другой товар" in rows_html(table, changed, "from=2025-09&to=2026-08", HIGHLIGHT_CLASSES)
    other_query = rows_html(table, page, "from=2026-01&to=2026-08", HIGHLIGHT_CLASSES)
    assert other_query is not first  # drill links carry the query: another query is another page of HTML


def test_the_pager_and_the_month_pickers_escape_their_query_and_mark_the_current_choice():
    """Written out in Python (reports/rows.py) and kept per process: a pure function of the code, the query and the
    page; the query's own text is escaped like every other attribute."""
    links = page_links("unit", 'from=2025-09&to=2026-08&model="><script>', 2, 3)
    assert str(links).count('<li class="page-item') == 3 and str(links).count('class="page-item active"') == 1
    assert 'href="/app/reports/unit?from=2025-09&amp;to=2026-08&amp;model=&#34;&gt;&lt;script&gt;&page=2"' in links
    assert "<script>" not in links and page_links("unit", 'from=2025-09&to=2026-08&model="><script>', 2, 3) is links
    assert 'class="page-item active"><a class="page-link" href="/app/reports/unit?q&page=1"' in page_links("unit", "q", 1, 2)
    options = month_choices((("2026-08", "Август 2026"), ("2026-07", "Июль <2026>")), "2026-07")
    assert str(options).count("<option") == 2 and str(options).count(" selected") == 1
    assert '<option value="2026-07" selected>Июль &lt;2026&gt;</option>' in options
