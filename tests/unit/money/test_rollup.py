"""Daily rollups: every kopeck of every line lands on exactly one (day, shop, sku, article) row."""

import datetime as dt

import numpy as np
import pytest

from stpulse.domain.kernel.errors import DomainError
from stpulse.domain.kernel.period import day_date, day_number
from stpulse.domain.ledger.articles import ARTICLE_INDEX, LedgerMapping
from stpulse.domain.ledger.rollup import compact, concat_rollups, filter_days, make_rollup
from stpulse.domain.ledger.rollup_sources import (
    AdSpend,
    Buyout,
    rollup_from_accruals,
    rollup_from_ad_spend,
    rollup_from_buyouts,
)
from tests.unit.money._money_builders import commission, sale, service

D1, D2 = dt.date(2026, 3, 1), dt.date(2026, 3, 2)


def rows(r):
    return sorted(
        (day_date(int(d)).isoformat(), int(r.shop_ids[s]), int(r.skus[k]) if k >= 0 else -1,
         [c for c, i in ARTICLE_INDEX.items() if i == a][0], int(m), int(q))
        for d, s, k, a, m, q in zip(r.day, r.shop, r.sku, r.article, r.amount, r.quantity)
    )


def test_worked_example_one_posting_and_a_shop_fee():
    lines = [sale(D1, 277810334, 359200), commission(D1, 277810334, -161640),
             service(D1, 32, -12600, sku=277810334), service(D1, 29, -1994, sku=277810334),
             service(D1, 76, -11832), sale(D2, 277810334, -359200), service(D2, 9999, -5)]
    built = rollup_from_accruals(lines, LedgerMapping.default(), shop_id=5)
    assert built.unmapped_type_ids == (9999,)
    assert rows(built.rollup) == sorted([
        ("2026-03-01", 5, -1, "packaging", -11832, 0),
        ("2026-03-01", 5, 277810334, "revenue", 359200, 1),
        ("2026-03-01", 5, 277810334, "commission", -161640, 0),
        ("2026-03-01", 5, 277810334, "logistics", -14594, 0),
        ("2026-03-02", 5, -1, "other", -5, 0),
        ("2026-03-02", 5, 277810334, "returns", -359200, 1),
    ])
    assert int(built.rollup.amount.sum()) == sum(x.amount for x in lines)


def test_concat_merges_key_tables_and_sums_duplicates():
    m = LedgerMapping.default()
    a = rollup_from_accruals([sale(D1, 10, 100), sale(D1, 20, 200)], m, shop_id=2).rollup
    b = rollup_from_accruals([sale(D1, 10, 1000), service(D1, 1, -7, sku=30)], m, shop_id=1).rollup
    c = rollup_from_accruals([sale(D1, 10, 5)], m, shop_id=2).rollup
    merged = concat_rollups([a, b, c])
    assert merged.shop_ids.tolist() == [1, 2]
    assert rows(merged) == sorted([
        ("2026-03-01", 2, 10, "revenue", 105, 2), ("2026-03-01", 2, 20, "revenue", 200, 1),
        ("2026-03-01", 1, 10, "revenue", 1000, 1), ("2026-03-01", 1, 30, "acquiring", -7, 0),
    ])
    assert [int(merged.shop_ids[s]) for s in merged.sku_shop] == [1, 1, 2, 2]
    assert rows(compact(merged)) == rows(merged)


def test_buyouts_and_external_ads_are_their_own_sources():
    buy = rollup_from_buyouts([Buyout(date=D1, posting_number="1-1", sku=10, offer_id="A", quantity=2,
                                      buyout_price=95600, amount=191200)], shop_id=1)
    ads = rollup_from_ad_spend([AdSpend(date=D1, campaign_id=1, sku=10, amount=5000, charged_via_accruals=False),
                                AdSpend(date=D1, campaign_id=2, sku=None, amount=700, charged_via_accruals=False),
                                AdSpend(date=D1, campaign_id=3, sku=10, amount=999, charged_via_accruals=True)],
                               shop_id=1)
    assert rows(concat_rollups([buy, ads])) == sorted([
        ("2026-03-01", 1, 10, "buyouts", 191200, 2), ("2026-03-01", 1, 10, "external_ads", -5000, 0),
        ("2026-03-01", 1, -1, "external_ads", -700, 0),
    ])
    with pytest.raises(DomainError):
        rollup_from_buyouts([Buyout(date=D1, posting_number="1", sku=1, offer_id="A", quantity=-1,
                                    buyout_price=1, amount=1)], shop_id=1)


def test_filter_days_is_inclusive_and_arrays_are_read_only():
    r = rollup_from_accruals([sale(D1, 1, 1), sale(D2, 1, 2)], LedgerMapping.default(), 1).rollup
    assert filter_days(r, day_number(D2), day_number(D2)).amount.tolist() == [2]
    with pytest.raises(ValueError):
        r.amount[0] = 5


def test_bad_columns_are_refused():
    with pytest.raises(DomainError):
        make_rollup(day=[1], shop=[0], sku=[0, 1], article=[0], amount=[1], quantity=[0],
                    shop_ids=[1], skus=[5], sku_shop=[0])
    with pytest.raises(DomainError):
        concat_rollups([make_rollup(day=[1], shop=[0], sku=[0], article=[0], amount=[1], quantity=[0],
                                    shop_ids=[1], skus=[1 << 41], sku_shop=[0])])
    assert np.asarray(concat_rollups([]).amount).size == 0
