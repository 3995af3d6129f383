"""Application services over in-memory fakes: the same tables as the domain, inputs fetched through ports."""

import asyncio
import datetime as dt

import pytest

from stpulse.adapters.xlsx.reports import XlsxReportWriter
from stpulse.application.reports.build import (
    ReportQuery,
    ReportSources,
    build_table,
    export_report,
)
from stpulse.domain.costs.cogs import CostBook, CostPrice
from stpulse.domain.kernel.errors import ValidationError
from stpulse.domain.ledger.rollup import filter_days
from stpulse.domain.reports.cube import AllocationRule
from stpulse.domain.reports.kinds import Selection
from stpulse.domain.reports.registry import PNL, UNIT
from stpulse.domain.reports.tax_rules import TaxRegime, TaxSettings, UsnBase
from tests.unit.money.test_reports_worked import INPUTS


class Fakes:
    """One object playing every reader port, as the repositories will."""

    def __init__(self, tax=None, payouts=None):
        self.calls, self.tax, self.payouts = [], tax if tax is not None else INPUTS.tax, payouts or {}

    async def read_rollup(self, shop_ids, first_day, last_day):
        self.calls.append(("rollup", tuple(shop_ids), first_day, last_day))
        return filter_days(INPUTS.rollup, (first_day - dt.date(1970, 1, 1)).days, (last_day - dt.date(1970, 1, 1)).days)

    async def products(self, shop_ids):
        return INPUTS.products

    async def offer_ids(self, account_id):
        return frozenset(p.offer_id for p in INPUTS.products)

    async def cost_book(self, account_id):
        self.calls.append(("costs", account_id))
        return CostBook(entries=_COSTS)

    async def opex(self, shop_ids, period):
        return INPUTS.opex

    async def tax_settings(self, shop_ids):
        return self.tax

    async def monthly_payouts(self, shop_ids, period):
        self.calls.append(("payouts",))
        return self.payouts


_COSTS = (CostPrice(offer_id="A", effective_from=dt.date(2026, 1, 1), purchase=42000),
          CostPrice(offer_id="B", effective_from=dt.date(2026, 1, 1), purchase=10000))


def sources(f):
    return ReportSources(rollups=f, catalog=f, costs=f, opex=f, tax=f, payouts=f)


def query(**kw):
    return ReportQuery(account_id=1, shop_ids=(7,), month_from="2026-03", month_to="2026-04", **kw)


def test_build_pnl_through_ports_equals_the_domain_table():
    f = Fakes()
    table = asyncio.run(build_table(PNL, query(), sources(f)))
    assert table == PNL.render(INPUTS, Selection())
    assert ("rollup", (7,), dt.date(2026, 3, 1), dt.date(2026, 4, 30)) in f.calls
    assert ("payouts",) not in f.calls  # only asked when a shop's УСН base is payouts
    assert asyncio.run(export_report(table, XlsxReportWriter()))[:2] == b"PK"


def test_unit_economics_rule_and_payouts_base():
    f = Fakes(tax={7: TaxSettings(regime=TaxRegime.USN_INCOME, usn_base=UsnBase.PAYOUTS)},
              payouts={(7, 674): 1_000_000})  # 674 = March 2026 as a month number
    table = asyncio.run(build_table(UNIT, query(allocation=AllocationRule.NONE), sources(f)))
    assert ("payouts",) in f.calls
    profit = [c.code for c in table.columns].index("profit")
    tax = [c.code for c in table.columns].index("tax")
    assert table.row("total").values[tax] == -60000  # 6 % of 10 000 ₽ paid out in March
    assert sum(r.values[profit] for r in table.rows if r.code != "total") == table.row("total").values[profit]


def test_bad_queries_are_refused_in_russian():
    with pytest.raises(ValidationError) as err:
        asyncio.run(build_table(PNL, ReportQuery(account_id=1, shop_ids=(), month_from="2026-03", month_to="2026-04"),
                              sources(Fakes())))
    assert err.value.fields == {"shop_ids": "Выберите хотя бы один магазин"}
    with pytest.raises(ValidationError):
        asyncio.run(build_table(PNL, ReportQuery(account_id=1, shop_ids=(7,), month_from="2026-03", month_to="2026-13"),
                              sources(Fakes())))


def test_a_report_reads_only_its_declared_inputs():
    from stpulse.domain.reports.kinds import ReportKind
    from stpulse.domain.reports.table import Table

    seen = []

    def build(inputs, selection):
        seen.append(inputs)
        return Table(code="", title="", period="", first_header="", columns=(), rows=())

    f = Fakes()
    kind = ReportKind(code="toy", title="Игрушка", build=build, inputs=frozenset())
    table = asyncio.run(build_table(kind, query(), sources(f)))
    assert (table.code, table.title) == ("toy", "Игрушка")
    assert [c[0] for c in f.calls] == ["rollup"]  # no cost book, no payouts
    assert seen[0].products == () and seen[0].costs is None and seen[0].opex == () and seen[0].tax == {}
