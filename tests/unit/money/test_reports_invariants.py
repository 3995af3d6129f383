"""The report invariants of DOMAIN.md, checked on random shops with hypothesis.

Σ month columns = total; the Ozon lines are a complete split of the period's accruals; Σ over SKUs of
unit profit (with «не распределено») = P&L net profit under every allocation rule; the tax split over SKUs
adds up to the P&L tax; a shop's P&L is the same alone or inside an account total.
"""

import datetime as dt
import os

import msgspec
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from stpulse.domain.costs.cogs import CostPrice
from stpulse.domain.kernel.period import Period, parse_month
from stpulse.domain.ledger.accruals import Component
from stpulse.domain.ledger.articles import ARTICLES, Section
from stpulse.domain.reports.cube import AllocationRule, OpexEntry, Product
from stpulse.domain.reports.pnl import build_pnl
from stpulse.domain.reports.table import Kind
from stpulse.domain.reports.tax_rules import TaxRegime, TaxSettings
from stpulse.domain.reports.unit_economics import build_unit_economics
from tests.unit.money._money_builders import inputs, line

MAX_EXAMPLES = int(os.environ.get("MONEY_EXAMPLES", "60"))  # raise for a deeper run
START = dt.date(2026, 1, 1)
TYPE_IDS = [1, 9, 10, 32, 46, 59, 72, 76, 89, 104, 124, 5000]  # 5000 is unknown → «Прочие начисления»
SKUS = [11, 12, 13, 14]

lines_st = st.lists(st.tuples(
    st.integers(-5, 100),  # day offset from 1 Jan (some days fall outside the period)
    st.sampled_from([Component.SALE, Component.COMMISSION, Component.SERVICE]),
    st.one_of(st.none(), st.sampled_from(SKUS)),
    st.sampled_from(TYPE_IDS),
    st.integers(-500_000, 500_000),
    st.integers(0, 5),
), max_size=60)
shop_st = st.fixed_dictionaries({
    "lines": lines_st,
    "regime": st.sampled_from([None, *TaxRegime]),
    "opex": st.lists(st.tuples(st.sampled_from(["2026-01", "2026-02", "2026-03"]), st.sampled_from(["Аренда", "ЗП"]),
                               st.integers(0, 300_000)), max_size=3),
})
costs_st = st.lists(st.tuples(st.sampled_from(["A", "B", "C"]), st.integers(-10, 90), st.integers(0, 200_000)),
                    max_size=6, unique_by=lambda t: (t[0], t[1]))


def to_lines(raw):
    out = []
    for off, comp, sku, tid, amount, qty in raw:
        day = START + dt.timedelta(days=off)
        if comp is Component.SERVICE:
            out.append(line(day, comp, amount, sku=sku, type_id=tid))
        elif sku is not None:
            out.append(line(day, comp, amount, sku=sku, quantity=qty if comp is Component.SALE else 0))
    return out


def build_inputs(shops, costs, shop_ids):
    lines = {sid: to_lines(shops[sid]["lines"]) for sid in shop_ids}
    products = tuple(Product(shop_id=s, sku=k, offer_id="ABC"[k % 3]) for s in shop_ids for k in SKUS)
    opex = tuple(OpexEntry(shop_id=s, month=parse_month(m), article=a, amount=v)
                 for s in shop_ids for m, a, v in shops[s]["opex"])
    tax = {s: TaxSettings(regime=shops[s]["regime"]) for s in shop_ids if shops[s]["regime"]}
    cost_prices = tuple(CostPrice(offer_id=o, effective_from=START + dt.timedelta(days=d), purchase=p)
                        for o, d, p in costs)
    return lines, inputs(lines, "2026-01", "2026-03", products=products, costs=cost_prices, opex=opex, tax=tax)


@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.fixed_dictionaries({1: shop_st, 2: shop_st}), costs_st)
def test_invariants(shops, costs):
    lines, inp = build_inputs(shops, costs, (1, 2))
    pnl = build_pnl(inp)
    for row in pnl.rows:
        if row.kind is Kind.MONEY:
            assert sum(row.values) == row.total, row.code
    in_period = sum(x.amount for ls in lines.values() for x in ls if dt.date(2026, 1, 1) <= x.date <= dt.date(2026, 3, 31))
    assert pnl.row("memo:accruals").total == in_period
    ozon_codes = ["revenue", "returns", "ozon_expenses", "compensations", "memo:non_pnl"]
    assert sum(pnl.row(c).total for c in ozon_codes) == in_period
    assert pnl.row("ozon_expenses").total == sum(
        pnl.row(f"ozon:{a.code}").total for a in ARTICLES if a.section is Section.OZON)
    net, tax = pnl.row("net_profit").total, pnl.row("tax").total
    for rule in AllocationRule:
        ue = build_unit_economics(inp, rule)
        codes = [c.code for c in ue.columns]
        body = [r for r in ue.rows if r.code != "total"]
        for name in ("profit", "tax", "revenue", "cogs", "opex", "advertising"):
            i = codes.index(name)
            assert sum(r.values[i] for r in body) == ue.row("total").values[i], name
        assert ue.row("total").values[codes.index("profit")] == net
        assert ue.row("total").values[codes.index("tax")] == tax
        assert ue.row("total").values[codes.index("cogs")] == pnl.row("cogs").total
        labels = [c.label for c in ue.columns]  # issue 18.10: same name, same number on both reports
        assert ue.row("total").values[labels.index(pnl.row("net_revenue").label)] == pnl.row("net_revenue").total
        assert pnl.row("revenue").label not in labels
    alone = [build_pnl(build_inputs(shops, costs, (s,))[1]) for s in (1, 2)]
    for row in pnl.rows:
        if row.kind is Kind.MONEY and not row.code.startswith("opex:"):
            assert row.values == tuple(a + b for a, b in zip(*(p.row(row.code).values for p in alone))), row.code


MONEY_COLUMNS = ("revenue", "commission", "logistics", "storage", "other_ozon", "compensations", "advertising",
                 "cogs", "opex", "tax", "profit")


def _by_row(table):
    codes = [c.code for c in table.columns]
    return {r.code: {c: r.values[codes.index(c)] for c in MONEY_COLUMNS} for r in table.rows}


@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.fixed_dictionaries({1: shop_st, 2: shop_st}), costs_st, st.sampled_from(list(AllocationRule)))
def test_per_sku_the_months_add_up_to_the_period(shops, costs, rule):
    """Shop-level money, own expenses and the tax are split month by month, so a SKU's row over the quarter is
    the sum of its rows of the three months (rows a month does not list count as zero)."""
    _, quarter = build_inputs(shops, costs, (1, 2))
    period = _by_row(build_unit_economics(quarter, rule))
    summed: dict[str, dict[str, int]] = {}
    for month in ("2026-01", "2026-02", "2026-03"):
        one = msgspec.structs.replace(quarter, period=Period.parse(month, month))
        for code, cells in _by_row(build_unit_economics(one, rule)).items():
            acc = summed.setdefault(code, dict.fromkeys(MONEY_COLUMNS, 0))
            for c in MONEY_COLUMNS:
                acc[c] += cells[c]
    zero = dict.fromkeys(MONEY_COLUMNS, 0)
    for code in set(period) | set(summed):
        assert period.get(code, zero) == summed.get(code, zero), code


def _one_split_at_a_time(cube, taxes, rule):
    """The allocation as it was written before the month's splits ran at once: the reference."""
    import numpy as np

    from stpulse.domain.kernel.allocation import allocate_array
    from stpulse.domain.ledger.articles import N_ARTICLES, NON_PNL
    from stpulse.domain.reports.unit_economics import listed_skus

    def split(out, rows, amount, weights):
        if amount and (weights is None or not weights.any()):
            out[-1] += amount
        elif amount:
            out[rows] += allocate_array(amount, weights)

    def weights(skus, month, r):
        return np.maximum(cube.sku_month[skus, month, 1 if r is AllocationRule.UNITS else 0], 0)

    skus = listed_skus(cube)
    articles = np.zeros((len(skus) + 1, N_ARTICLES), dtype=np.int64)
    articles[:-1] = cube.slot[skus]
    opex, tax = np.zeros(len(skus) + 1, np.int64), np.zeros(len(skus) + 1, np.int64)
    for s in range(len(cube.shop_ids)):
        rows = np.flatnonzero(cube.sku_shop[skus] == s)
        for m in range(len(cube.months)):
            w = None if rule is AllocationRule.NONE else weights(skus[rows], m, rule)
            for a in np.flatnonzero(cube.shop_level[s, m]):
                split(articles[:, a], rows, int(cube.shop_level[s, m, a]), w)
            split(opex, rows, int(cube.opex[s, m].sum()), w)
            split(tax, rows, int(taxes.amounts[s, m]), weights(skus[rows], m, AllocationRule.REVENUE))
    articles[:, NON_PNL] = 0
    return articles, opex, tax


@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.fixed_dictionaries({1: shop_st, 2: shop_st}), costs_st, st.sampled_from(list(AllocationRule)))
@example({s: {"lines": [(5, Component.SALE, 11, 1, 100_000, 1), (6, Component.SALE, 12, 1, 1_000, 5),
                        (7, Component.SERVICE, None, 32, -5_003, 0)], "regime": TaxRegime.USN_INCOME,
              "opex": [("2026-01", "ЗП", 10_001)]} for s in (1, 2)}, [], AllocationRule.UNITS)  # tax by revenue
def test_the_months_splits_at_once_equal_one_split_at_a_time(shops, costs, rule):
    from stpulse.domain.reports.cube import build_cube
    from stpulse.domain.reports.taxes import shop_taxes
    from stpulse.domain.reports.unit_economics import allocate

    _, quarter = build_inputs(shops, costs, (1, 2))
    cube = build_cube(quarter)
    taxes = shop_taxes(cube, quarter)
    got = allocate(cube, taxes, rule)
    articles, opex, tax = _one_split_at_a_time(cube, taxes, rule)
    assert got.articles.tolist() == articles.tolist()
    assert got.opex.tolist() == opex.tolist() and got.tax.tolist() == tax.tolist()
