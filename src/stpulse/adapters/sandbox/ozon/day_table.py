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
    cat: np.ndarray | None = None  # per-accrual category when blocks of several kinds are merged

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


def merge(blocks: list[Block]) -> Block:
    """One block holding all accruals of `blocks` (category kept per accrual in `cat`)."""
    offsets = np.cumsum([0] + [b.size for b in blocks])
    merged = Block(
        category=0,
        schema=np.concatenate([b.schema for b in blocks]),
        unit_kind=np.concatenate([b.unit_kind for b in blocks]),
        unit_a=np.concatenate([b.unit_a for b in blocks]),
        unit_b=np.concatenate([b.unit_b for b in blocks]),
        acc=np.concatenate([b.acc + off for b, off in zip(blocks, offsets, strict=False)]),
        lines={k: np.concatenate([b.lines[k] for b in blocks]) for k in _LINE_FIELDS},
    )
    merged.cat = np.concatenate([b.cat if b.cat is not None else np.full(b.size, b.category) for b in blocks])
    return merged


def categories(block: Block) -> np.ndarray:
    return block.cat if block.cat is not None else np.full(block.size, block.category)


def assemble(blocks: list[Block], rng: np.random.Generator, date_index: int, id_base: int) -> DayTable:
    blocks = [b for b in blocks if b.size]
    if not blocks:
        return _empty(date_index)
    m = merge(blocks)
    keep = np.bincount(m.acc, minlength=m.size) > 0
    n_acc = int(keep.sum())
    if not n_acc:
        return _empty(date_index)
    pos = rng.permutation(n_acc)  # Ozon interleaves kinds: shuffle the surviving accruals
    new_of_old = np.full(m.size, -1, dtype=np.int64)
    new_of_old[keep] = pos
    order = np.argsort(pos)
    ln_acc = new_of_old[m.acc]
    sort = np.lexsort((m.lines["rank"], m.lines["group"], ln_acc))
    ln_acc = ln_acc[sort]
    lines = {k: v[sort] for k, v in m.lines.items()}
    start = np.searchsorted(ln_acc, np.arange(n_acc + 1))
    ids = id_base + 3 * np.arange(n_acc, dtype=np.int64) + rng.integers(0, 3, n_acc)
    return DayTable(
        date_index=date_index, acc_id=ids, acc_cat=categories(m)[keep][order], acc_schema=m.schema[keep][order],
        acc_unit_kind=m.unit_kind[keep][order], acc_unit_a=m.unit_a[keep][order],
        acc_unit_b=m.unit_b[keep][order], acc_total=np.add.reduceat(lines["amount"], start[:-1]),
        acc_start=start, ln_acc=ln_acc, ln_no=np.arange(ln_acc.size) - start[ln_acc], ln=lines,
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
