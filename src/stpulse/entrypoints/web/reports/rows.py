"""The hot path of every report page written out in Python: the rows of the table, the pager's links, the month
picker's options.

A page of the Юнитка is ~1,000 cells; Jinja spent ~150 ms of CPU a page on them (a macro call, two lookups and an
escape per cell), which under 200 sessions on two cores was the whole budget. This builds the same markup with
precomputed per-column pieces (~10× faster); a table's rows are split into the paged ones and the summary once
per table object (`page_of`). The pager (a hundred pages, two URLs each) and the two month pickers
(sixty months each) cost Jinja ~1.5 ms a page more; they are pure functions of a few strings, kept per process. The
rest of the table's frame (header, notes) stays in report_body.html."""

from __future__ import annotations

import functools
from collections import OrderedDict
from collections.abc import Mapping

from markupsafe import Markup, escape

from stpulse.domain.reports.table import Row, Table, TablePage, format_value, split_rows, table_page


def _label_cell(t: Table, r: Row, qs: str) -> str:
    title = escape(r.label + (" — " + r.note if r.note else ""))
    label = str(escape(r.label))
    if r.drill:
        url = escape(f"/app/reports/{t.code}/drill?row={r.code}&{qs}")
        label = f'<a href="{url}" class="drill-link" data-hx-get="{url}" data-hx-target="#drill">{label}</a>'
    note = f'<div class="small text-secondary fw-normal row-note">{escape(r.note)}</div>' if r.note else ""
    return f'<td style="padding-left: {0.5 + r.level * 1.25}rem" title="{title}">{label}{note}</td>'


class _Rendered:
    """A page of rows already turned into HTML, kept with its Row objects (checked by identity, so an id reused by
    a new object never matches: the entry holds the rows alive)."""

    __slots__ = ("html", "rows")

    def __init__(self, rows: tuple[Row, ...], html: Markup) -> None:
        self.rows, self.html = rows, html


_RENDERED: OrderedDict[tuple[object, ...], _Rendered] = OrderedDict()
_RENDERED_MAX = 256  # pages; a page of the Юнитка is ~130 KB of HTML, so at most ~35 MB per process


def rows_html(t: Table, rows: tuple[Row, ...], qs: str, css: Mapping[str, str],
              links: frozenset[str] = frozenset()) -> Markup:
    """`links`: columns whose non-zero cells open the postings behind them (the entry's `cell_drill`). The page's rows, from the per-process memo when these very rows (immutable objects of a cached table) were
    rendered with the same columns and query already: a cached report page then costs no formatting at all."""
    if not rows:
        return Markup("")
    key = (tuple(map(id, rows)), t.code, tuple((c.code, c.kind) for c in t.columns), t.total_label, qs,
           tuple(sorted(css.items())), tuple(sorted(links)))
    found = _RENDERED.get(key)
    if found is not None and all(a is b for a, b in zip(found.rows, rows, strict=True)):
        _RENDERED.move_to_end(key)
        return found.html
    html = _rows_html(t, rows, qs, css, links)
    _RENDERED[key] = _Rendered(rows, html)
    while len(_RENDERED) > _RENDERED_MAX:
        _RENDERED.popitem(last=False)
    return html


def _rows_html(t: Table, rows: tuple[Row, ...], qs: str, css: Mapping[str, str],
               links: frozenset[str] = frozenset()) -> Markup:
    cols = [(escape(c.code), c.kind) for c in t.columns]
    linked = [c.code in links for c in t.columns]
    out: list[str] = []
    for r in rows:
        hl = f' data-highlight="{escape(r.highlight)}"' if r.highlight else ""
        group = r.code.startswith("model:")  # a model's subtotal (domain.reports.models)
        row_css = f"{'fw-semibold' if r.emphasis or group else ''} {css[r.highlight] if r.highlight else ''}"
        out.append(f'<tr data-row="{escape(r.code)}" class="{row_css}"{hl}>{_label_cell(t, r, qs)}')
        for j, (code, kind) in enumerate(cols):
            m = r.marks[j] if r.marks else None
            text = escape(format_value(r.values[j], kind or r.kind))
            if linked[j] and r.values[j] and not r.code.startswith("model:"):
                url = escape(f"/app/reports/{t.code}/postings?row={r.code}&col={code}&{qs}")
                text = Markup(f'<a href="{url}" class="cell-link" data-hx-get="{url}" data-hx-target="#drill">{text}</a>')  # noqa: S704
            out.append(f'<td class="text-end text-nowrap {css[m] if m else ""}" data-col="{code}">{text}</td>')
        if t.total_label:
            m = r.total_mark
            out.append(f'<td class="text-end text-nowrap fw-semibold {css[m] if m else ""}" data-col="total">'
                       f'{escape(format_value(r.total, r.kind))}</td>')
        out.append("</tr>")
    return Markup("".join(out))  # noqa: S704 - every text and attribute above went through escape()


_SPLIT: OrderedDict[int, tuple[Table, tuple[tuple[Row, ...], tuple[Row, ...]]]] = OrderedDict()
_SPLIT_MAX = 32  # tables; the entry holds its table alive, so an id is never matched by a new object


def page_of(table: Table, page: int) -> TablePage:
    """`table_page` with the table's rows split once per table object (a cached report's table is the same
    immutable object on every request, so paging it costs a slice instead of a pass over every row)."""
    found = _SPLIT.get(id(table))
    if found is not None and found[0] is table:
        _SPLIT.move_to_end(id(table))
        return table_page(table, page, split=found[1])
    split = split_rows(table)
    _SPLIT[id(table)] = (table, split)
    while len(_SPLIT) > _SPLIT_MAX:
        _SPLIT.popitem(last=False)
    return table_page(table, page, split=split)


@functools.lru_cache(maxsize=512)
def page_links(code: str, query: str, page: int, pages: int) -> Markup:
    """The pager's items: a link to each page of the report with the same query (`query`: the selection and the
    sort), the current one active. A pure function of its arguments, kept per process."""
    url = f"/app/reports/{escape(code)}?{escape(query)}&page="
    return Markup("".join(  # noqa: S704 - the code and the query went through escape(); the rest are numbers
        f'\n  <li class="page-item {"active" if p == page else ""}"><a class="page-link" href="{url}{p}"'
        f'\n     data-hx-get="{url}{p}" data-hx-target="#report-body" data-hx-push-url="true">{p}</a></li>'
        for p in range(1, pages + 1)))


@functools.lru_cache(maxsize=256)
def month_choices(months: tuple[tuple[str, str], ...], chosen: str) -> Markup:
    """The month picker's options (value, label) with `chosen` selected."""
    return Markup("".join(  # noqa: S704 - every value and label went through escape()
        f'\n      <option value="{escape(value)}"{" selected" if value == chosen else ""}>{escape(label)}</option>'
        for value, label in months))
