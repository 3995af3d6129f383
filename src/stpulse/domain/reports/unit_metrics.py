"""The columns of Юнитка, computed for many rows at once from int64 money per row.

Per-unit figures divide by net units (sold − returned + bought out by Ozon), percents are basis points;
both are rounded half-up and undefined (None, «—») when the divisor is zero or below: a SKU whose returns
exceed its sales in the period has no meaningful «per unit», and dividing by −1 would flip a loss into a profit. Money columns are sums, so the
«Итого» row is computed by the same formulas from the column sums.
"""

from __future__ import annotations

import msgspec
import numpy as np

from stpulse.domain.kernel.allocation import divide_half_up, ratio_bp
from stpulse.domain.ledger.articles import (
    ARTICLE_INDEX,
    ARTICLES,
    BUYOUTS,
    EXTERNAL_ADS,
    RETURNS,
    REVENUE,
    Section,
)
from stpulse.domain.reports.kinds import Ratio
from stpulse.domain.reports.table import Column, Kind

_A = ARTICLE_INDEX
_OTHER_OZON = [i for i, a in enumerate(ARTICLES) if a.section is Section.OZON and a.code not in
               {"commission", "logistics", "reverse_logistics", "storage", "acquiring", "promotion"}]
_COMPENSATIONS = [i for i, a in enumerate(ARTICLES) if a.section is Section.COMPENSATION]


def _c(code: str, label: str, kind: Kind) -> Column:
    return Column(code=code, label=label, kind=kind)


M, P, C = Kind.MONEY, Kind.PERCENT, Kind.COUNT
COLUMNS: tuple[Column, ...] = (
    _c("sold_units", "Продано, шт.", C), _c("returned_units", "Возвращено, шт.", C),
    _c("bought_out_units", "Выкуплено Озоном, шт.", C), _c("buyout_pct", "Выкуп, %", P),
    _c("avg_price", "Средняя цена", M), _c("revenue", "Чистая выручка", M),  # as in ОПиУ: after returns
    _c("commission", "Вознаграждение Ozon", M), _c("commission_pct", "Вознаграждение, %", P),
    _c("logistics", "Логистика", M), _c("logistics_per_unit", "Логистика на ед.", M),
    _c("reverse_logistics", "Обратная логистика", M), _c("storage", "Хранение", M),
    _c("acquiring", "Эквайринг", M), _c("advertising", "Реклама", M),
    _c("other_ozon", "Прочие расходы Ozon", M), _c("compensations", "Компенсации", M),
    _c("cogs", "Себестоимость", M), _c("cost_per_unit", "Себестоимость ед.", M),
    _c("opex", "Операционные расходы", M), _c("tax", "Налог", M), _c("tax_per_unit", "Налог на ед.", M),
    _c("profit_per_unit", "Прибыль на ед.", M), _c("profit", "Прибыль", M),
    _c("margin_pct", "Маржа, %", P), _c("roi_pct", "ROI, %", P), _c("drr_pct", "ДРР, %", P),
)
COLUMN_CODES = tuple(c.code for c in COLUMNS)


class Money(msgspec.Struct, frozen=True, kw_only=True):
    articles: np.ndarray  # int64 [row, article]
    units: np.ndarray  # int64 [row, sold|returned|bought out]
    cogs: np.ndarray  # int64 [row], negative
    opex: np.ndarray  # int64 [row], negative
    tax: np.ndarray  # int64 [row], negative

    def total(self) -> Money:
        return Money(articles=self.articles.sum(axis=0, keepdims=True), units=self.units.sum(axis=0, keepdims=True),
                     cogs=self.cogs.sum(keepdims=True), opex=self.opex.sum(keepdims=True),
                     tax=self.tax.sum(keepdims=True))


Figures = dict[str, tuple[np.ndarray, np.ndarray]]  # column → (values, defined)


def _sums(m: Money) -> dict[str, np.ndarray]:
    a = m.articles
    s = {"sold_units": m.units[:, 0], "returned_units": m.units[:, 1], "bought_out_units": m.units[:, 2],
         "revenue": a[:, REVENUE] + a[:, RETURNS] + a[:, BUYOUTS], "commission": a[:, _A["commission"]],
         "logistics": a[:, _A["logistics"]], "reverse_logistics": a[:, _A["reverse_logistics"]],
         "storage": a[:, _A["storage"]], "acquiring": a[:, _A["acquiring"]],
         "advertising": a[:, _A["promotion"]] + a[:, EXTERNAL_ADS], "other_ozon": a[:, _OTHER_OZON].sum(axis=1),
         "compensations": a[:, _COMPENSATIONS].sum(axis=1), "cogs": m.cogs, "opex": m.opex, "tax": m.tax}
    s["profit"] = sum(s[k] for k in ("revenue", "commission", "logistics", "reverse_logistics", "storage",
                                     "acquiring", "advertising", "other_ozon", "compensations", "cogs",
                                     "opex", "tax"))
    return s


def metrics(m: Money) -> Figures:
    s = _sums(m)
    out: Figures = {k: (v, np.ones(len(v), bool)) for k, v in s.items()}
    net_units = s["sold_units"] - s["returned_units"] + s["bought_out_units"]
    per_unit = lambda v: divide_half_up(v, np.where(net_units > 0, net_units, 0))  # noqa: E731
    out["buyout_pct"] = ratio_bp(s["sold_units"] - s["returned_units"], s["sold_units"])
    out["avg_price"] = divide_half_up(m.articles[:, REVENUE], s["sold_units"])
    out["commission_pct"] = ratio_bp(-s["commission"], s["revenue"])
    out["logistics_per_unit"] = per_unit(s["logistics"])
    out["cost_per_unit"] = per_unit(s["cogs"])
    out["tax_per_unit"] = per_unit(s["tax"])
    out["profit_per_unit"] = per_unit(s["profit"])
    out["margin_pct"] = ratio_bp(s["profit"], s["revenue"])
    out["roi_pct"] = ratio_bp(s["profit"], -s["cogs"])
    out["drr_pct"] = ratio_bp(-s["advertising"], s["revenue"])
    return out


def row_values(figures: Figures) -> list[tuple[int | None, ...]]:
    """Figures → one tuple per row in COLUMNS order, None where undefined (built column by column)."""
    columns = []
    for code in COLUMN_CODES:
        values, defined = figures[code]
        cells = values.tolist()
        for i in np.flatnonzero(~defined).tolist():  # None where undefined (fewer than a whole object array)
            cells[i] = None
        columns.append(cells)
    return list(zip(*columns, strict=True))


_NET = (("sold_units", 1), ("returned_units", -1), ("bought_out_units", 1))


def _per_unit(column: str) -> Ratio:
    return Ratio(num=((column, 1),), den=_NET)


RATIOS: dict[str, Ratio] = {  # a model's subtotal: derived columns from the subtotal's sums (domain.reports.models)
    "buyout_pct": Ratio(num=(("sold_units", 1), ("returned_units", -1)), den=(("sold_units", 1),), percent=True),
    "avg_price": Ratio(den=(("sold_units", 1),), weighted=True),
    "commission_pct": Ratio(num=(("commission", -1),), den=(("revenue", 1),), percent=True),
    "logistics_per_unit": _per_unit("logistics"), "cost_per_unit": _per_unit("cogs"),
    "tax_per_unit": _per_unit("tax"), "profit_per_unit": _per_unit("profit"),
    "margin_pct": Ratio(num=(("profit", 1),), den=(("revenue", 1),), percent=True),
    "roi_pct": Ratio(num=(("profit", 1),), den=(("cogs", -1),), percent=True),
    "drr_pct": Ratio(num=(("advertising", -1),), den=(("revenue", 1),), percent=True),
}
