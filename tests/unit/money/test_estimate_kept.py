"""ОПиУ's estimate by order date is kept per process under its key (`ReportQuery.estimate_key`, application/reports/
cache.py `ESTIMATES`): the use case reads the orders and the history once per key, a table made with the kept estimate
equals the one the domain makes from the orders and the history, another key reads and prices them again, and no key
(a period not packed, SQLite) keeps nothing. The fixed April of shop 7 and shop 8 from test_two_clocks."""

import asyncio

import numpy as np
import pytest
from msgspec.structs import replace

from stpulse.application.reports.build import ReportQuery, ReportSources, build_table
from stpulse.application.reports.cache import ESTIMATES, EstimateCache
from stpulse.domain.kernel.period import day_number, month_first_day, months_of_days
from stpulse.domain.ledger.rollup import filter_days
from stpulse.domain.reports.facts import OrderFacts, SkuHistory
from stpulse.domain.reports.kinds import Selection
from stpulse.domain.reports.operational import estimate_by_orders
from stpulse.domain.reports.registry import PNL
from tests.unit.money.test_two_clocks import INPUTS

NAMES = ("shop", "sku", "day", "cancelled", "quantity", "amount")


class Readers:
    """The report's readers over the fixed inputs; the facts as the database gives them (orders by month, the
    days of a SKU asked for, the history of the months asked for), counting the reads."""

    def __init__(self) -> None:
        self.reads: list[str] = []

    async def read_rollup(self, shop_ids, first_day, last_day):  # type: ignore[no-untyped-def]
        return filter_days(INPUTS.rollup, day_number(first_day), day_number(last_day))

    async def products(self, shop_ids):  # type: ignore[no-untyped-def]
        return INPUTS.products

    async def cost_book(self, account_id):  # type: ignore[no-untyped-def]
        return self

    def table(self):  # type: ignore[no-untyped-def]
        return INPUTS.costs

    async def opex(self, shop_ids, period):  # type: ignore[no-untyped-def]
        return INPUTS.opex

    async def tax_settings(self, shop_ids):  # type: ignore[no-untyped-def]
        return INPUTS.tax

    async def order_facts(self, shop_ids, first, last, by_day=True, by_month=False, skus=()):  # type: ignore[no-untyped-def]
        self.reads.append("orders")
        o = INPUTS.orders
        assert o is not None
        keep = (o.day >= day_number(first)) & (o.day <= day_number(last)) & np.isin(o.shop, shop_ids)
        keep &= np.isin(o.sku, list(skus)) if skus else True
        rows = list(zip(*(getattr(o, n)[keep].tolist() for n in NAMES), strict=True))
        if not by_month:
            return OrderFacts.of(rows)
        sums: dict[tuple[int, int, int, bool], list[int]] = {}
        for shop, sku, day, cancelled, quantity, amount in rows:
            month_first = day_number(month_first_day(int(months_of_days(np.array([day]))[0])))
            acc = sums.setdefault((shop, sku, month_first, cancelled), [0, 0])
            acc[0], acc[1] = acc[0] + quantity, acc[1] + amount
        return OrderFacts.of([(s, k, d, c, q, a) for (s, k, d, c), (q, a) in sums.items()])

    async def sku_history(self, shop_ids, first, last):  # type: ignore[no-untyped-def]
        self.reads.append("history")
        h = INPUTS.history
        assert h is not None
        months = months_of_days(np.array([day_number(first), day_number(last)]))
        keep = (h.month >= months[0]) & (h.month <= months[1]) & np.isin(h.shop, shop_ids)
        return SkuHistory(**{n: getattr(h, n)[keep] for n in ("shop", "sku", "month", "sold", "returned", "sales",
                                                                "commission", "logistics", "reverse")})


def _query(key: str | None) -> ReportQuery:
    return ReportQuery(account_id=1, shop_ids=(7, 8), month_from="2026-04", month_to="2026-04", estimate_key=key)


def _build(readers: Readers, key: str | None):  # type: ignore[no-untyped-def]
    sources = ReportSources(rollups=readers, catalog=readers, costs=readers, opex=readers, tax=readers,
                            facts=readers)  # type: ignore[arg-type]
    return asyncio.run(build_table(PNL, _query(key), sources))


def test_the_estimate_is_read_once_per_key_and_the_table_equals_the_domains():
    ESTIMATES.clear()
    readers = Readers()
    first = _build(readers, "k1")
    assert first == PNL.render(INPUTS, Selection())  # orders by month, April's SKU 1 by day: the same estimate
    assert first.row("clock:profit_estimated").values[0] is not None
    read = len(readers.reads)
    assert read >= 3  # the orders by month, SKU 1's April by day, the history before and within the period
    assert _build(readers, "k1") == first and len(readers.reads) == read  # kept: nothing read again
    assert _build(readers, "k2") == first and len(readers.reads) == 2 * read  # another key: read and priced anew
    assert _build(readers, None) == first and len(readers.reads) == 3 * read  # no key: nothing kept
    assert _build(readers, None) == first and len(readers.reads) == 4 * read
    assert len(ESTIMATES) == 2
    ESTIMATES.clear()


def test_a_kept_estimate_is_read_only_and_the_oldest_goes_first():
    kept = EstimateCache(limit=2)
    estimate = estimate_by_orders(INPUTS, np.array([7, 8], np.int64))
    for key in ("a", "b"):
        kept.put(key, replace(estimate))
    assert kept.get("a") is not None  # «a» used last: «b» is the oldest now
    kept.put("c", estimate)
    assert kept.get("b") is None and kept.get("a") is not None and len(kept) == 2
    with pytest.raises(ValueError, match="read-only"):
        estimate.revenue[0, 0] = 1  # one copy serves many tables: nobody writes into it
    assert estimate.sources  # the plain fields stay as they are
