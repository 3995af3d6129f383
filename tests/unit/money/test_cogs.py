"""Cost of goods: the cost in force on the sale's date; sales without a cost are flagged, never costed at 0."""

import datetime as dt

import numpy as np
import pytest

from stpulse.domain.costs.cogs import CostBook, CostPrice
from stpulse.domain.kernel.errors import ValidationError
from stpulse.domain.kernel.period import day_number
from stpulse.domain.reports.cube import Product, build_cube
from tests.unit.money._money_builders import inputs, sale


def cp(offer, day, purchase, **kw):
    return CostPrice(offer_id=offer, effective_from=day, purchase=purchase, **kw)


BOOK = CostBook(entries=(
    cp("A", dt.date(2026, 3, 10), 50000, delivery=3000, packaging=1500, marking=500),  # 550,00 ₽
    cp("A", dt.date(2026, 1, 1), 40000, delivery=2000),  # 420,00 ₽
    cp("B", dt.date(2026, 2, 1), 10000),
))


def test_total_is_the_sum_of_components():
    assert BOOK.in_force("A", dt.date(2026, 3, 10)).total == 55000


def test_cost_change_day_rule():
    table = BOOK.table()
    a = table.offer_index(["A"])[0]
    days = [day_number(dt.date(2026, 3, 9)), day_number(dt.date(2026, 3, 10)), day_number(dt.date(2025, 12, 31))]
    cost, known = table.lookup(np.full(3, a), np.array(days))
    assert cost.tolist() == [42000, 55000, 0]  # the day before: old; the day of the change: new; before: none
    assert known.tolist() == [True, True, False]
    assert BOOK.in_force("A", dt.date(2026, 3, 9)).total == 42000


def test_lookup_across_offers_and_unknown_offers():
    table = BOOK.table()
    idx = table.offer_index(["B", "A", "Z", None])
    day = day_number(dt.date(2026, 6, 1))
    cost, known = table.lookup(idx, np.full(4, day))
    assert cost.tolist() == [10000, 55000, 0, 0] and known.tolist() == [True, True, False, False]
    empty = CostBook(entries=()).table()
    assert empty.lookup(np.array([-1]), np.array([day]))[1].tolist() == [False]


def test_validation_duplicates_and_negatives():
    with pytest.raises(ValidationError) as err:
        CostBook(entries=(cp("A", dt.date(2026, 1, 1), 1), cp("A", dt.date(2026, 1, 1), 2),
                          cp("B", dt.date(2026, 1, 1), 1, marking=-1), cp(" ", dt.date(2026, 1, 1), 1)))
    assert err.value.fields == {"A / 01.01.2026": "Две цены на одну дату для одного артикула",
                                "B / 01.01.2026": "Себестоимость не может быть отрицательной",
                                "  / 01.01.2026": "Не указан артикул"}


def test_merge_replaces_same_date():
    merged = BOOK.merged([cp("B", dt.date(2026, 2, 1), 12000), cp("C", dt.date(2026, 1, 1), 1)])
    assert merged.in_force("B", dt.date(2026, 2, 2)).total == 12000 and len(merged.entries) == 4


def test_cogs_of_the_month_and_flagged_sales_without_cost():
    # A: 2 sold on 9 March at 420 ₽, 1 sold on 10 March at 550 ₽, 1 returned on 12 March (550 ₽ back);
    # C has no cost at all: 3 units for 900 ₽ are flagged.
    lines = [sale(dt.date(2026, 3, 9), 1, 200000, 2), sale(dt.date(2026, 3, 10), 1, 100000, 1),
             sale(dt.date(2026, 3, 12), 1, -100000, 1), sale(dt.date(2026, 3, 12), 3, 90000, 3)]
    cube = build_cube(inputs({7: lines}, "2026-03", "2026-03", costs=BOOK.entries,
                             products=(Product(shop_id=7, sku=1, offer_id="A"), Product(shop_id=7, sku=3, offer_id="C"))))
    assert cube.cogs_shop_month.tolist() == [[-(2 * 42000 + 55000 - 55000)]]
    assert cube.uncosted.tolist() == [[0, 0, 0, 0], [1, 3, 0, 90000]]
