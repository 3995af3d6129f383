"""Highlights found a column at a time (numpy) mark exactly what the row-by-row walk marks."""

from __future__ import annotations

import random

from stpulse.domain.reports.kinds import HighlightRule, _marked, apply_highlights
from stpulse.domain.reports.table import Column, Highlight, Kind, Row, Table


def _table(seed: int) -> Table:
    rnd = random.Random(seed)
    columns = tuple(Column(code=f"c{j}", label=f"К{j}", kind=Kind.MONEY) for j in range(6))

    def value() -> int | None:
        return rnd.choice([None, 0, -1, 1, 999, 1000, 1001, -(10**14), 10**14, rnd.randint(-10**9, 10**9)])

    rows = tuple(Row(code=f"sku{i}", label=f"Товар {i}", kind=Kind.MONEY, values=tuple(value() for _ in columns),
                     total=value(), marks=(Highlight.WARNING, *([None] * 5)) if i % 7 == 0 else ())
                 for i in range(300))
    return Table(code="toy", title="Игрушка", period="", first_header="Товар", columns=columns, rows=rows)


def _by_rows(table: Table, rules: tuple[HighlightRule, ...]) -> tuple[Row, ...]:
    index = {c.code: j for j, c in enumerate(table.columns)}
    plans = [(r, None if r.columns is None else [index[c] for c in sorted(r.columns) if c in index]) for r in rules]
    return tuple(_marked(row, plans) for row in table.rows)


RULE_SETS = (
    (HighlightRule(mark=Highlight.LOSS, columns=frozenset({"c0", "c2", "c5", "missing"})),),
    (HighlightRule(mark=Highlight.WARNING, columns=frozenset({"c1"}), below=1000),
     HighlightRule(mark=Highlight.WARNING, columns=frozenset({"c3", "c4"}), below=1000, above=True)),
    (HighlightRule(mark=Highlight.LOSS, columns=frozenset({"c0", "c1"})),  # one column, two rules: the later wins
     HighlightRule(mark=Highlight.WARNING, columns=frozenset({"c1"}), below=999, above=True)),
    (HighlightRule(mark=Highlight.LOSS, rows=frozenset({"sku3", "sku10"})),),  # rows by code: the row walk
    (HighlightRule(mark=Highlight.LOSS),),  # every column and the total: the row walk
)


def test_column_highlights_equal_the_row_walk() -> None:
    for seed in range(5):
        table = _table(seed)
        for rules in RULE_SETS:
            assert apply_highlights(table, rules) == _by_rows(table, rules)


def test_unchanged_rows_stay_the_same_objects() -> None:
    table = _table(1)
    marked = apply_highlights(table, RULE_SETS[0])
    assert any(a is b for a, b in zip(marked, table.rows, strict=True))
    assert any(a is not b for a, b in zip(marked, table.rows, strict=True))
