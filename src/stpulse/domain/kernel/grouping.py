"""Sums of integer columns grouped by an int64 key, and look-ups of int64 keys: exact (int64, no float) and without a
Python object per row."""

from __future__ import annotations

import numpy as np


def group_sums(key: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(the distinct keys ascending, Σ of each column of `values` [n, k] per key). A stable sort: rows that come
    already ordered by the key (months of packs, each by SKU) cost one pass."""
    key = np.asarray(key, dtype=np.int64)
    values = np.asarray(values, dtype=np.int64)
    values = values[:, None] if values.ndim == 1 else values
    if not len(key):
        return key[:0], values[:0]
    order = np.argsort(key, kind="stable")
    ordered = key[order]
    starts = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
    return ordered[starts], np.add.reduceat(values[order], starts, axis=0)


def find_keys(keys: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """Position in `keys` of each of `wanted`, −1 where absent; of equal keys the last (what a dict made from
    `keys` would keep)."""
    keys, wanted = np.asarray(keys, dtype=np.int64), np.asarray(wanted, dtype=np.int64)
    if not len(keys):
        return np.full(len(wanted), -1, np.int64)
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    pos = np.searchsorted(ordered, wanted, side="right") - 1
    safe = np.maximum(pos, 0)
    return np.where((pos >= 0) & (ordered[safe] == wanted), order[safe], -1)
