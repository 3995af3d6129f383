"""The drill-down behind a report row, as a seller reads it: subtotals by accrual type and by SKU first, the lines
on demand, filtered by SKU, posting, type and dates; every line with Ozon's name of its type and the product.

Labels live here so the page and the xlsx file say the same thing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from enum import StrEnum

import msgspec

from stpulse.domain.kernel.errors import ValidationError

COMPONENT_LABELS = {"sale": "продажа", "commission": "вознаграждение", "service": "услуга"}
EXPORT_MAX_LINES = 500_000  # an xlsx over this is refused with a request to narrow the filter
GROUPS_SHOWN = 100  # SKU subtotals shown on the page (largest first); the rest are summed in one line


class DrillView(StrEnum):
    GROUPS = "groups"  # subtotals by type and by SKU
    LINES = "lines"  # the lines themselves, paged


class DrillFilter(msgspec.Struct, frozen=True, kw_only=True):
    """What the user narrowed the drill-down to (all optional)."""

    view: DrillView = DrillView.GROUPS
    sku: int | None = None  # 0: lines without a SKU
    posting: str = ""
    type_id: int | None = None  # 0: lines without a type
    day_from: dt.date | None = None
    day_to: dt.date | None = None

    def days(self, first: dt.date, last: dt.date) -> tuple[dt.date, dt.date]:
        """The filter's dates inside the report's period (the period bounds when not given)."""
        lo = max(first, self.day_from) if self.day_from else first
        hi = min(last, self.day_to) if self.day_to else last
        if lo > hi:
            raise ValidationError({"day_to": "Дата «по» раньше даты «с» или вне периода отчёта"},
                                  "Даты фильтра вне периода отчёта")
        return lo, hi

    @property
    def narrowed(self) -> bool:
        return bool(self.sku is not None or self.posting or self.type_id is not None or self.day_from or self.day_to)


def fold(rows: Iterable[tuple[int | None, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """(key, lines, quantity, amount) summed by key (None becomes 0: without one), the largest absolute amount
    first, ties by key with «without» last."""
    sums: dict[int, list[int]] = {}
    for key, lines, quantity, amount in rows:
        acc = sums.setdefault(key or 0, [0, 0, 0])
        acc[0], acc[1], acc[2] = acc[0] + lines, acc[1] + quantity, acc[2] + amount
    return sorted(((k, n, q, a) for k, (n, q, a) in sums.items()), key=lambda r: (-abs(r[3]), r[0] == 0, r[0]))


def type_label(type_id: int | None, names: Mapping[int, str]) -> str:
    """Ozon's name of an accrual type with its id; lines of a sale or commission have no type (None or 0)."""
    if not type_id:
        return "без типа"
    name = names.get(type_id)
    return f"{name} ({type_id})" if name else f"Тип {type_id} (название Ozon ещё не загружено)"


def product_label(sku: int | None, products: Mapping[int, tuple[str, str]]) -> str:
    """«offer_id — name» of a SKU from the catalogue; the bare SKU when the catalogue does not know it."""
    if sku is None or sku == 0:
        return "без товара (уровень магазина)"
    offer, name = products.get(sku, ("", ""))
    return " — ".join(x for x in (offer, name) if x) or f"SKU {sku}"
