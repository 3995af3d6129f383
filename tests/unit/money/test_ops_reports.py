"""Операционка, Возвраты, model grouping, «Показатели» order and account thresholds on small fixed inputs."""

from __future__ import annotations

import datetime as dt

import msgspec
import numpy as np

from stpulse.domain.kernel.period import day_number
from stpulse.domain.reports.cube import Product
from stpulse.domain.reports.facts import IN_TRANSIT, TO_STOCK, UTILISED, OrderFacts, ReturnFacts, StockLeft
from stpulse.domain.reports.kinds import Selection
from stpulse.domain.reports.models import check_model_rows
from stpulse.domain.reports.registry import OPS, RETURNS_REPORT, UNIT
from stpulse.domain.reports.table import Highlight
from tests.unit.money._money_builders import inputs, sale

D = dt.date(2026, 5, 4)  # a Monday
PRODUCTS = (Product(shop_id=1, sku=11, offer_id="A-1", name="Майка S"), Product(shop_id=1, sku=12, offer_id="A-2"),
            Product(shop_id=1, sku=13, offer_id="B-1"))
MODELS = {"A-1": "Майка", "A-2": "Майка"}


def _inputs():  # type: ignore[no-untyped-def]
    lines = [sale(D, 11, 100_000, 2), sale(D + dt.timedelta(days=8), 12, 50_000, 1), sale(D, 13, 30_000, 3),
             sale(D + dt.timedelta(days=1), 11, -50_000, 1)]
    base = inputs({1: lines}, "2026-05", "2026-05", products=PRODUCTS)
    day = day_number(D)
    orders = OrderFacts.of([(1, 11, day, False, 3, 150_000), (1, 11, day + 1, True, 1, 50_000),
                            (1, 12, day + 9, False, 2, 100_000), (1, 13, day, False, 3, 30_000)])
    ints = lambda v: np.array(v, dtype=np.int64)  # noqa: E731
    returns = ReturnFacts(reasons=("Брак", "Не подошёл"), shop=ints([1, 1, 1]), sku=ints([11, 13, 13]),
                          day=ints([day + 1, day + 2, day + 3]), reason=ints([1, 0, 0]),
                          refusal=np.array([False, False, True]), place=ints([TO_STOCK, UTILISED, IN_TRANSIT]),
                          quantity=ints([1, 1, 2]), amount=ints([50_000, 10_000, 20_000]),
                          logistics=ints([-5_000, -3_000, -4_000]), compensation=ints([0, 8_000, 0]))
    stock = StockLeft(shop=ints([1, 1]), sku=ints([11, 13]), units=ints([7, 5]), day=day + 20)
    return msgspec.structs.replace(base, orders=orders, returns=returns, stock=stock, models=MODELS)


def _by_code(table):  # type: ignore[no-untyped-def]
    codes = [c.code for c in table.columns]
    return {r.code: dict(zip(codes, r.values, strict=True)) for r in table.rows}


def test_operations_by_sku_and_by_period_agree() -> None:
    x = _inputs()
    sku = _by_code(OPS.render(x, Selection()))
    assert sku["1:11"] == {"ordered_units": 4, "ordered": 200_000, "cancelled_units": 1, "cancelled": 50_000,
                           "delivered_units": 2, "delivered": 100_000, "returned_units": 1, "returned": 50_000,
                           "buyout_pct": 5000, "avg_price": 50_000, "stock": 7}
    assert sku["total"]["stock"] == 12 and sku["total"]["ordered_units"] == 9
    for view, rows in (("day", 4), ("week", 2), ("month", 1)):
        table = _by_code(OPS.render(x, Selection(options=(("view", view),))))
        assert len(table) == rows + 1, view
        assert {k: v for k, v in table["total"].items() if k != "stock"} == \
            {k: v for k, v in sku["total"].items() if k != "stock"}


def test_model_filter_and_subtotals() -> None:
    x = _inputs()
    grouped = OPS.render(x, Selection(by_model=True))
    codes = [r.code for r in grouped.rows]
    assert codes == ["model:Майка", "1:11", "1:12", "model:Без модели", "1:13", "total"]
    rows = _by_code(grouped)
    assert rows["model:Майка"]["ordered_units"] == 6 and rows["model:Майка"]["avg_price"] == 50_000
    assert rows["model:Майка"]["buyout_pct"] == 6667  # (3 − 1) / 3 from the subtotal's sums
    only = _by_code(OPS.render(x, Selection(model="Майка")))
    assert set(only) == {"1:11", "1:12", "total"} and only["total"]["ordered_units"] == 6
    by_week = _by_code(OPS.render(x, Selection(model="Майка", options=(("view", "week"),))))
    assert by_week["total"]["ordered_units"] == 6
    returns = _by_code(RETURNS_REPORT.render(x, Selection(by_model=True)))
    assert returns["model:Майка"]["returned_units"] == 1 and returns["model:Без модели"]["refused_units"] == 2
    unit = UNIT.render(x, Selection(by_model=True))
    assert [r.code for r in unit.rows if r.code.startswith("model:")] == ["model:Майка", "model:Без модели"]


def test_returns_by_reason_and_places() -> None:
    by_reason = _by_code(RETURNS_REPORT.render(_inputs(), Selection(options=(("view", "reason"),))))
    assert by_reason["reason:1"]["returned_units"] == 1 and by_reason["reason:0"]["utilised"] == 1
    total = by_reason["total"]
    assert total["sold_units"] == 6 and total["return_share"] == 3333 and total["compensation"] == 8_000
    assert total["to_stock"] + total["utilised"] + total["in_transit"] == total["returned_units"] == 2


def test_thresholds_change_the_highlights() -> None:
    x = _inputs()
    default = OPS.render(x, Selection())  # buyout below 70 %: amber
    marks = {r.code: r.marks for r in default.rows}
    j = [c.code for c in default.columns].index("buyout_pct")
    assert marks["1:11"][j] is Highlight.WARNING
    relaxed = OPS.render(x, Selection(thresholds=(("low_buyout", 4000),)))
    assert not any(r.marks and r.marks[j] for r in relaxed.rows)


def test_metrics_in_the_users_order() -> None:
    table = OPS.render(_inputs(), Selection())
    shown = OPS.shown(table, Selection(metrics=("stock", "ordered_units")))
    assert [c.code for c in shown.columns] == ["stock", "ordered_units"]
    assert shown.row("1:11").values == (7, 4)


def test_model_rows_are_checked_by_row() -> None:
    lines, errors = check_model_rows([(2, "A-1", "Майка"), (3, "нет", "Х"), (4, "A-2", " "), (5, "A-1", "Другая"),
                                      (6, "", "")], frozenset({"A-1", "A-2"}))
    assert [x.offer_id for x in lines] == ["A-1"]
    assert set(errors) == {"row:3", "row:4", "row:5"} and "строке 2" in errors["row:5"]


def test_rising_share_of_returns_is_amber() -> None:
    """April: 10 sold, 1 returned (10 %); May: 4 sold, 2 returned (50 %) → +40 п.п., over the 3 п.п. default."""
    april = dt.date(2026, 4, 10)
    base = inputs({1: [sale(april, 11, 100_000, 10), sale(D, 11, 40_000, 4)]}, "2026-04", "2026-05",
                  products=PRODUCTS)
    ints = lambda v: np.array(v, dtype=np.int64)  # noqa: E731
    returns = ReturnFacts(reasons=("Брак",), shop=ints([1, 1]), sku=ints([11, 11]),
                          day=ints([day_number(april) + 5, day_number(D) + 2]), reason=ints([0, 0]),
                          refusal=np.array([False, False]), place=ints([TO_STOCK, TO_STOCK]), quantity=ints([1, 2]),
                          amount=ints([10_000, 20_000]), logistics=ints([0, 0]), compensation=ints([0, 0]))
    table = RETURNS_REPORT.render(msgspec.structs.replace(base, returns=returns), Selection())
    j = [c.code for c in table.columns].index("share_rise")
    row = table.row("1:11")
    assert row.values[j] == 4000 and row.marks[j] is Highlight.WARNING
    calm = RETURNS_REPORT.render(msgspec.structs.replace(base, returns=returns),
                                 Selection(thresholds=(("rising_return_share", 5000),)))
    assert not calm.row("1:11").marks or calm.row("1:11").marks[j] is None
