"""Issue 11, report side: worked examples of the defects a real seller hit (amounts in kopecks)."""

import datetime as dt

import msgspec

from stpulse.domain.costs.cogs import CostPrice
from stpulse.domain.kernel.period import day_number
from stpulse.domain.reports.cube import AllocationRule, Product, ReturnOrigin, build_cube
from stpulse.domain.reports.pnl import build_pnl
from stpulse.domain.reports.unit_economics import build_unit_economics
from tests.unit.money._money_builders import commission, inputs, sale, service

MAR, APR = dt.date(2026, 3, 10), dt.date(2026, 4, 10)


def _cells(table, code):
    return dict(zip((c.code for c in table.columns), table.row(code).values, strict=True))


def test_per_unit_figures_are_blank_when_returns_exceed_sales():
    # April alone: SKU 1 comes back (−1 000 ₽, commission 150 ₽ given back, return logistics 51,64 ₽), nothing sold
    lines = [sale(MAR, 1, 100000, 1), sale(APR, 1, -100000, 1), commission(APR, 1, 15000),
             service(APR, 59, -5164, sku=1), sale(APR, 2, 50000, 1)]
    costs = (CostPrice(offer_id="A", effective_from=dt.date(2026, 1, 1), purchase=40000),)
    products = (Product(shop_id=7, sku=1, offer_id="A"), Product(shop_id=7, sku=2, offer_id="A"))
    table = build_unit_economics(inputs({7: lines}, "2026-04", "2026-04", costs=costs, products=products),
                                 AllocationRule.NONE)
    cells = _cells(table, "7:1")
    assert cells["profit"] == -100000 + 15000 - 5164 + 40000
    assert [cells[c] for c in ("cost_per_unit", "tax_per_unit", "profit_per_unit", "logistics_per_unit")] == [
        None, None, None, None]
    assert _cells(table, "7:2")["profit_per_unit"] == 50000 - 40000


def test_uncosted_sales_count_sold_and_returned_units_apart():
    # neither SKU has a cost: SKU 1 sells 2 in March, SKU 2 comes back (1 unit) — 2 sold and 1 returned, not «1 шт.»
    lines = [sale(MAR, 1, 200000, 2), sale(MAR, 2, -90000, 1)]
    inp = inputs({7: lines}, "2026-03", "2026-03", products=(Product(shop_id=7, sku=1, offer_id="A"),))
    cube = build_cube(inp)
    assert cube.uncosted.tolist() == [[1, 2, 0, 200000], [1, 0, 1, -90000]]
    assert build_pnl(inp).warnings == (
        "Продажи без себестоимости: 2 SKU, продано 2 шт., возвращено 1 шт., выручка за вычетом возвратов 1\u00a0100,00\u00a0₽ — "
        "себестоимость по ним не учтена, укажите её в разделе «Себестоимость»",)


def _returns_inputs(origins):
    # A costs 420 ₽ until 31 March and 550 ₽ from 1 April; one unit sold on 10 March comes back on 10 April
    lines = [sale(MAR, 1, 100000, 1), sale(APR, 1, -100000, 1), sale(APR, 1, 100000, 1)]
    costs = (CostPrice(offer_id="A", effective_from=dt.date(2026, 1, 1), purchase=42000),
             CostPrice(offer_id="A", effective_from=dt.date(2026, 4, 1), purchase=55000))
    inp = inputs({7: lines}, "2026-03", "2026-04", costs=costs, products=(Product(shop_id=7, sku=1, offer_id="A"),))
    return msgspec.structs.replace(inp, return_origins=origins)


def test_a_return_gives_back_the_cost_of_the_sale_it_reverses():
    origin = ReturnOrigin(shop_id=7, sku=1, day=day_number(APR), quantity=1, sale_day=day_number(MAR))
    pnl = build_pnl(_returns_inputs((origin,)))
    assert pnl.row("cogs").values == (-42000, 42000 - 55000)  # the March unit comes back at 420 ₽, not 550 ₽
    assert pnl.warnings == ()


def test_a_return_without_its_sale_is_costed_on_its_own_date_and_flagged():
    pnl = build_pnl(_returns_inputs(()))
    assert pnl.row("cogs").values == (-42000, 55000 - 55000)
    assert pnl.warnings == ("Возвраты без найденной продажи: 1\u00a0шт. — себестоимость взята на дату возврата",)
    assert build_pnl(_returns_inputs(None)).warnings == ()  # no posting data at all (e.g. lines not stored)
