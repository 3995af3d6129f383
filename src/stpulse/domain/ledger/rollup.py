"""Daily rollups: the columnar form of a shop's money by (day, shop, sku, article).

This is what the sync pipeline keeps in the database and what every report aggregates. Columns are
parallel numpy arrays of one length:

    day       int32  Moscow date as days since 1970-01-01
    shop      int32  index into `shop_ids`
    sku       int32  index into `skus` (−1 = shop-level: NON_ITEM fees, lines without a SKU)
    article   int16  index into `ledger.ARTICLES`
    amount    int64  kopecks, signed as Ozon signs them (income +, expense −)
    quantity  int64  units, non-negative; meaningful on revenue / returns / buyouts rows

and three key tables: `shop_ids` int64 (shop index → shop id), `skus` int64 (sku index → Ozon SKU) and
`sku_shop` int32 (sku index → shop index; a SKU key is the pair (shop, Ozon SKU)).
"""

from __future__ import annotations

from collections.abc import Sequence

import msgspec
import numpy as np

from stpulse.domain.kernel.errors import DomainError

_COLUMNS = {"day": np.int32, "shop": np.int32, "sku": np.int32, "article": np.int16,
            "amount": np.int64, "quantity": np.int64}
_KEYS = {"shop_ids": np.int64, "skus": np.int64, "sku_shop": np.int32}


class Rollup(msgspec.Struct, frozen=True, kw_only=True):
    day: np.ndarray
    shop: np.ndarray
    sku: np.ndarray
    article: np.ndarray
    amount: np.ndarray
    quantity: np.ndarray
    shop_ids: np.ndarray
    skus: np.ndarray
    sku_shop: np.ndarray

    def __post_init__(self) -> None:
        n = len(self.day)
        for name, dtype in (_COLUMNS | _KEYS).items():
            arr = getattr(self, name)
            if not isinstance(arr, np.ndarray) or arr.dtype != dtype or arr.ndim != 1:
                raise DomainError(f"Свёртка: столбец {name} должен быть массивом {np.dtype(dtype).name}")
            arr.flags.writeable = False
        if any(len(getattr(self, c)) != n for c in _COLUMNS) or len(self.skus) != len(self.sku_shop):
            raise DomainError("Свёртка: столбцы разной длины")

    def __len__(self) -> int:
        return len(self.day)


def make_rollup(**columns: object) -> Rollup:
    """Build a Rollup casting each column to its dtype (copies, so the caller's arrays stay theirs)."""
    cast = {name: np.array(columns[name], dtype=dtype) for name, dtype in (_COLUMNS | _KEYS).items()}
    return Rollup(**cast)


def empty_rollup(shop_ids: Sequence[int] = ()) -> Rollup:
    return make_rollup(day=[], shop=[], sku=[], article=[], amount=[], quantity=[],
                       shop_ids=list(shop_ids), skus=[], sku_shop=[])


def compact(r: Rollup) -> Rollup:
    """Sum rows with the same (day, shop, sku, article): one row per natural key, sorted by it."""
    if len(r) == 0:
        return r
    key = _row_key(r)
    order = np.argsort(key, kind="stable")
    sorted_key = key[order]
    starts = np.flatnonzero(np.r_[True, sorted_key[1:] != sorted_key[:-1]])
    first = order[starts]
    return make_rollup(
        day=r.day[first], shop=r.shop[first], sku=r.sku[first], article=r.article[first],
        amount=np.add.reduceat(r.amount[order], starts), quantity=np.add.reduceat(r.quantity[order], starts),
        shop_ids=r.shop_ids, skus=r.skus, sku_shop=r.sku_shop,
    )


def _row_key(r: Rollup) -> np.ndarray:
    day0 = int(r.day.min())
    n_shop, n_sku = len(r.shop_ids), len(r.skus) + 1
    key = (r.day.astype(np.int64) - day0) * n_shop + r.shop
    return (key * n_sku + (r.sku.astype(np.int64) + 1)) * 256 + r.article


def filter_days(r: Rollup, first_day: int, last_day: int) -> Rollup:
    """Rows with first_day ≤ day ≤ last_day (day numbers); key tables are kept."""
    mask = (r.day >= first_day) & (r.day <= last_day)
    return _take(r, mask)


def _take(r: Rollup, mask: np.ndarray) -> Rollup:
    return make_rollup(day=r.day[mask], shop=r.shop[mask], sku=r.sku[mask], article=r.article[mask],
                       amount=r.amount[mask], quantity=r.quantity[mask],
                       shop_ids=r.shop_ids, skus=r.skus, sku_shop=r.sku_shop)


def concat_rollups(parts: Sequence[Rollup]) -> Rollup:
    """Merge rollups of any shops and sources into one, with shared key tables, compacted."""
    if not parts:
        return empty_rollup()
    if any(len(p.skus) and (int(p.skus.min()) < 0 or int(p.skus.max()) >= 1 << 40) for p in parts):
        raise DomainError("Свёртка: SKU вне допустимого диапазона")
    shop_ids = np.unique(np.concatenate([p.shop_ids for p in parts]))
    shop_maps = [np.searchsorted(shop_ids, p.shop_ids).astype(np.int32) for p in parts]
    pair = np.concatenate([(m[p.sku_shop].astype(np.int64) << 40) | p.skus for p, m in zip(parts, shop_maps, strict=True)])
    pairs = np.unique(pair)
    cols: dict[str, list[np.ndarray]] = {c: [] for c in _COLUMNS}
    for p, m in zip(parts, shop_maps, strict=True):
        own = np.searchsorted(pairs, (m[p.sku_shop].astype(np.int64) << 40) | p.skus).astype(np.int32)
        for c in ("day", "article", "amount", "quantity"):
            cols[c].append(getattr(p, c))
        cols["shop"].append(m[p.shop])
        cols["sku"].append(np.where(p.sku >= 0, own[np.maximum(p.sku, 0)] if len(own) else -1, -1))
    merged = make_rollup(**{c: np.concatenate(v) for c, v in cols.items()},
                         shop_ids=shop_ids, skus=pairs & ((1 << 40) - 1), sku_shop=pairs >> 40)
    return compact(merged)
