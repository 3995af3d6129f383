"""Модели: SKUs grouped into the user's models (a product in several sizes or colours), for every SKU report.

The grouping is the registry's, not a report's: a SKU row (code "shop:sku") finds its offer_id in the catalogue
and its model in the account's list; rows are filtered to one model or grouped under a subtotal per model. A
subtotal's money and counts are sums of its rows, so the subtotals add up to the report's total; derived columns
(percents, averages, per unit) are computed from those sums by the entry's `ratios`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

import msgspec
import numpy as np
from msgspec.structs import replace

from stpulse.domain.kernel.allocation import div_half_up
from stpulse.domain.reports.cube import ReportInputs
from stpulse.domain.reports.table import Kind, Row, Table

if TYPE_CHECKING:
    from stpulse.domain.reports.kinds import Ratio, ReportKind, Selection

NO_MODEL = "Без модели"
_SKU_ROW = re.compile(r"^\d+:\d+$")
MAX_MODEL = 200
MAX_OFFER = 128


def row_offers(inputs: ReportInputs) -> dict[str, str]:
    """Row code "shop:sku" → offer_id, from the catalogue."""
    return {f"{p.shop_id}:{p.sku}": p.offer_id for p in inputs.products}


def by_model(table: Table, kind: ReportKind, inputs: ReportInputs, selection: Selection) -> Table:
    offers = row_offers(inputs)
    sku_rows = [r for r in table.rows if not r.emphasis and _SKU_ROW.match(r.code)]
    if not sku_rows:  # rows by day or by reason: the report's build applied the model filter itself
        return table
    model_of = {r.code: inputs.models.get(offers.get(r.code, ""), NO_MODEL) for r in sku_rows}
    if selection.model:
        kept = [r for r in sku_rows if model_of[r.code] == selection.model]
        total = [r for r in table.rows if r.emphasis][-1:]
        out = kept
        if total:
            out = [*kept, replace(total[0], values=combine(table, kind, kept), total=None)]
        return replace(table, rows=tuple(out))
    if not selection.by_model:
        return table
    groups: dict[str, list[Row]] = {}
    for r in sku_rows:
        groups.setdefault(model_of[r.code], []).append(r)
    names = sorted(n for n in groups if n != NO_MODEL) + ([NO_MODEL] if NO_MODEL in groups else [])
    grouped: list[Row] = []
    for name in names:
        members = groups[name]
        grouped.append(Row(code=f"model:{name}", label=name, kind=Kind.MONEY, values=combine(table, kind, members),
                           note=f"Модель · товаров: {len(members)}", level=0))
        grouped.extend(replace(r, level=1) for r in members)
    listed = set(model_of)
    rest = [r for r in table.rows if r.code not in listed]
    return replace(table, rows=tuple(grouped + rest))


def combine(table: Table, kind: ReportKind, rows: Sequence[Row]) -> tuple[int | None, ...]:
    """A subtotal of these rows: sums, and the entry's ratios computed from the sums."""
    codes = [c.code for c in table.columns]
    sums = {c: sum(r.values[j] or 0 for r in rows) for j, c in enumerate(codes)}
    ratios = kind.ratios or {}
    out: list[int | None] = []
    for j, c in enumerate(codes):
        ratio = ratios.get(c)
        if ratio is None:
            out.append(sums[c])
        elif ratio.weighted:
            weight = [sum(r.values[codes.index(w)] or 0 for w, _ in ratio.den) for r in rows]
            num = sum((r.values[j] or 0) * w for r, w in zip(rows, weight, strict=True))
            out.append(div_half_up(num, sum(weight)) if sum(weight) > 0 else None)
        else:
            out.append(_ratio(ratio, sums))
    return tuple(out)


def _ratio(ratio: Ratio, sums: dict[str, int]) -> int | None:
    num = sum(sums.get(c, 0) * k for c, k in ratio.num)
    den = sum(sums.get(c, 0) * k for c, k in ratio.den)
    if den <= 0:
        return None
    return div_half_up(num * 10_000 if ratio.percent else num, den)


class ModelLine(msgspec.Struct, frozen=True, kw_only=True):
    offer_id: str
    model: str


def check_model_rows(rows: Sequence[tuple[int, str, str]], known: frozenset[str]) -> tuple[list[ModelLine],
                                                                                            dict[str, str]]:
    """(row number, offer_id, model) → the lines, or Russian errors by row (`row:N`); nothing is kept on error."""
    errors: dict[str, str] = {}
    seen: dict[str, int] = {}
    lines: list[ModelLine] = []
    for n, offer, model in rows:
        offer, model = offer.strip(), " ".join(model.split())
        if not offer and not model:
            continue
        if not offer:
            errors[f"row:{n}"] = f"Строка {n}: не указан артикул (offer_id)"
        elif offer not in known:
            errors[f"row:{n}"] = f"Строка {n}: артикул «{offer[:MAX_OFFER]}» не найден в ваших магазинах"
        elif not model:
            errors[f"row:{n}"] = f"Строка {n}: не указана модель для артикула «{offer}»"
        elif len(model) > MAX_MODEL:
            errors[f"row:{n}"] = f"Строка {n}: название модели длиннее {MAX_MODEL} символов"
        elif offer in seen:
            errors[f"row:{n}"] = f"Строка {n}: артикул «{offer}» уже указан в строке {seen[offer]}"
        else:
            seen[offer] = n
            lines.append(ModelLine(offer_id=offer, model=model))
    return lines, errors


def model_keys(inputs: ReportInputs, model: str) -> set[tuple[int, int]] | None:
    """(shop key, SKU) of the model's products; None when no model is chosen (every SKU)."""
    if not model:
        return None
    return {(p.shop_id, p.sku) for p in inputs.products if inputs.models.get(p.offer_id, NO_MODEL) == model}


def keep_mask(shop: np.ndarray, sku: np.ndarray, keys: set[tuple[int, int]] | None) -> np.ndarray:
    """A boolean mask over (shop, sku) arrays: rows of the chosen model (all rows when `keys` is None)."""
    s, k = np.asarray(shop, dtype=np.int64), np.asarray(sku, dtype=np.int64)
    if keys is None:
        return np.ones(len(s), bool)
    if not keys:
        return np.zeros(len(s), bool)
    wanted = np.array(sorted((a << 40) | b for a, b in keys), dtype=np.int64)
    return np.isin((s << 40) | k, wanted)
