"""One day of accruals as column arrays — the single source for the JSON answer, the normalised
lines and the ground truth, so the three can never disagree.

Accruals are built in blocks (one kind of accrual each), then assembled: empty accruals dropped, the
order shuffled by a seeded stream (Ozon interleaves kinds), ids assigned ascending, lines sorted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

CAT_POSTING, CAT_ITEM, CAT_NON_ITEM = 1, 2, 3
CATEGORY_NAMES = {CAT_POSTING: "POSTING", CAT_ITEM: "ITEM", CAT_NON_ITEM: "NON_ITEM"}
COMP_SALE, COMP_COMMISSION, COMP_SERVICE = 0, 1, 2
UNIT_NONE, UNIT_POSTING, UNIT_ORDER, UNIT_NUMBER = 0, 1, 2, 3
SCHEMA_NAMES = {0: None, 1: "Fbo", 2: "Fbs"}

_LINE_FIELDS = ("group", "rank", "comp", "type_id", "sku", "amount", "qty",
                "seller_price", "sale_price", "bonus", "coinvestment", "ratio_bp")


@dataclass(eq=False)
class Block:
    """Accruals of one kind with local indices. Line arrays are parallel; `acc` points at a local accrual."""

    category: int
    schema: np.ndarray
    unit_kind: np.ndarray
    unit_a: np.ndarray
    unit_b: np.ndarray
    acc: np.ndarray
    lines: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return int(self.schema.size)


@dataclass(frozen=True, eq=False)
class DayTable:
    date_index: int
    acc_id: np.ndarray  # ascending
    acc_cat: np.ndarray
    acc_schema: np.ndarray
    acc_unit_kind: np.ndarray
    acc_unit_a: np.ndarray
    acc_unit_b: np.ndarray
    acc_total: np.ndarray
    acc_start: np.ndarray  # A + 1 offsets into the line arrays
    ln_acc: np.ndarray
    ln_no: np.ndarray
    ln: dict[str, np.ndarray]

    @property
    def n_accruals(self) -> int:
        return int(self.acc_id.size)

    @property
    def n_lines(self) -> int:
        return int(self.ln_acc.size)


def assemble(blocks: list[Block], rng: np.random.Generator, date_index: int, id_base: int) -> DayTable:
    blocks = [b for b in blocks if b.size]
    if not blocks:
        return _empty(date_index)
    offsets = np.cumsum([0] + [b.size for b in blocks])
    acc_line = np.concatenate([b.acc + off for b, off in zip(blocks, offsets, strict=False)])
    lines = {k: np.concatenate([b.lines[k] for b in blocks]) for k in _LINE_FIELDS}
    keep = np.bincount(acc_line, minlength=int(offsets[-1])) > 0
    if not keep.any():
        return _empty(date_index)
    new_of_old = np.full(int(offsets[-1]), -1, dtype=np.int64)
    pos = rng.permutation(int(keep.sum()))  # shuffled order of the surviving accruals
    new_of_old[keep] = pos
    order = np.argsort(pos)  # accrual columns in new order, taken from the kept ones
    acc_cols = {
        name: np.concatenate([getattr(b, name) if name != "cat" else np.full(b.size, b.category) for b in blocks])[keep][order]
        for name in ("cat", "schema", "unit_kind", "unit_a", "unit_b")
    }
    ln_acc = new_of_old[acc_line]
    sort = np.lexsort((lines["rank"], lines["group"], ln_acc))
    ln_acc = ln_acc[sort]
    lines = {k: v[sort] for k, v in lines.items()}
    n_acc = int(keep.sum())
    start = np.searchsorted(ln_acc, np.arange(n_acc + 1))
    ids = id_base + 3 * np.arange(n_acc, dtype=np.int64) + rng.integers(0, 3, n_acc)
    return DayTable(
        date_index=date_index, acc_id=ids, acc_cat=acc_cols["cat"], acc_schema=acc_cols["schema"],
        acc_unit_kind=acc_cols["unit_kind"], acc_unit_a=acc_cols["unit_a"], acc_unit_b=acc_cols["unit_b"],
        acc_total=np.add.reduceat(lines["amount"], start[:-1]), acc_start=start,
        ln_acc=ln_acc, ln_no=np.arange(ln_acc.size) - start[ln_acc], ln=lines,
    )


def _empty(date_index: int) -> DayTable:
    z = np.zeros(0, dtype=np.int64)
    return DayTable(date_index, z, z, z, z, z, z, z, np.zeros(1, dtype=np.int64), z, z,
                    {k: z for k in _LINE_FIELDS})


def line_columns(n: int, **cols: np.ndarray | int) -> dict[str, np.ndarray]:
    """Line columns for a block: given ones broadcast to n rows, the rest zero."""
    out = {}
    for name in _LINE_FIELDS:
        value = cols.get(name, 0)
        if isinstance(value, np.ndarray):
            out[name] = value.astype(np.int64, copy=False)
        else:
            out[name] = np.full(n, value, dtype=np.int64)
    return out


def concat_lines(parts: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    return {k: np.concatenate([p[k] for p in parts]) for k in _LINE_FIELDS}
