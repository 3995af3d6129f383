"""«Реклама» on one SKU, every figure computed by hand (kopecks; percents in basis points).

March: SKU 1 (offer A, cost 400 ₽) sells 10 for 10 000 ₽, commission 1 500 ₽, logistics 500 ₽; no tax settings.
Its profit before ads = 10 000 − 1 500 − 500 − 4 000 = 4 000 ₽, so the margin before ads — the break-even ДРР — is
40,00 %. Campaign 501 spent 1 500 ₽ on it: 10 000 views, 200 clicks, 3 orders for 3 000 ₽.
ДРР 1 500 / 3 000 = 50,00 % > 40,00 % → red; ads profit = 3 000 × 40 % − 1 500 = −300 ₽, lost 300 ₽.
CTR 2,00 %, CPC 7,50 ₽, CPO 500 ₽, ROAS 200 %, total ДРР 1 500 / 10 000 = 15,00 %.
"""

import datetime as dt

import msgspec
import numpy as np

from stpulse.domain.ads.charges import with_cabinet_share
from stpulse.domain.ads.plan import min_reports, plan_reports
from stpulse.domain.costs.cogs import CostPrice
from stpulse.domain.kernel.period import day_number
from stpulse.domain.ledger.ad_stats import AdStat, AdStatsTable
from stpulse.domain.reports.ads import ads_profit, margin_before_ads
from stpulse.domain.reports.cube import Product
from stpulse.domain.reports.kinds import Selection
from stpulse.domain.reports.registry import report_kind
from stpulse.domain.reports.table import Highlight
from tests.unit.money._money_builders import commission, inputs, sale, service

MAR = dt.date(2026, 3, 10)


def ads_inputs(spend: int = 150_000):
    base = inputs({7: [sale(MAR, 1, 1_000_000, 10), commission(MAR, 1, -150_000), service(MAR, 32, -50_000, sku=1)]},
                  "2026-03", "2026-03", products=(Product(shop_id=7, sku=1, offer_id="A", name="Бордюр"),),
                  costs=(CostPrice(offer_id="A", effective_from=dt.date(2026, 1, 1), purchase=40_000),))
    one = np.array([1], np.int64)
    table = AdStatsTable(shop=one * 7, day=one * day_number(MAR), campaign=one * 501, sku=one, spend=one * spend,
                         views=one * 10_000, clicks=one * 200, orders=one * 3, revenue=one * 300_000,
                         titles={501: "Трафарет весна"})
    return msgspec.structs.replace(base, ads=table)


def test_break_even_drr_and_ads_profit_by_hand():
    assert margin_before_ads(profit=400_000, advertising=0, revenue=1_000_000) == 4000
    assert ads_profit(ad_revenue=300_000, spend=150_000, margin_bp=4000) == -30_000
    assert margin_before_ads(profit=250_000, advertising=-150_000, revenue=1_000_000) == 4000  # ads added back


def test_the_report_row_of_the_sku():
    table = report_kind("ads").render(ads_inputs(), Selection())
    row = table.rows[0]
    values = dict(zip([c.code for c in table.columns], row.values, strict=True))
    assert row.label == "Трафарет весна · A"
    assert values == {"spend": 150_000, "views": 10_000, "clicks": 200, "ctr": 200, "cpc": 750, "orders": 3,
                      "ad_revenue": 300_000, "drr": 5000, "total_drr": 1500, "cpo": 50_000, "roas": 20000,
                      "break_even_drr": 4000, "ads_profit": -30_000, "lost": 30_000}
    marks = dict(zip([c.code for c in table.columns], row.marks, strict=True))
    assert marks["drr"] == Highlight.LOSS and marks["lost"] == Highlight.LOSS and marks["ads_profit"] == Highlight.LOSS
    assert "потеряно" in row.note and "300" in row.note


def test_drr_below_break_even_is_not_red():
    row = report_kind("ads").render(ads_inputs(spend=90_000), Selection()).rows[0]  # ДРР 30 % < 40 %
    assert row.values[-2] == 30_000 and row.values[-1] == 0  # 3 000 × 40 % − 900 = 300 ₽ earned
    assert not row.marks and row.note == ""


def test_reports_are_planned_within_ozons_limits():
    first, last = dt.date(2025, 10, 1), dt.date(2026, 9, 30)  # 365 days
    plan = plan_reports(list(range(1, 24)), first, last)  # 23 campaigns
    assert len(plan) == min_reports(23, 365) == 3 * 6
    assert all(len(r.campaigns) <= 10 and r.days <= 62 for r in plan)
    covered = {(c, first + dt.timedelta(days=i)) for r in plan for c in r.campaigns
               for i in range((r.date_from - first).days, (r.date_to - first).days + 1)}
    assert len(covered) == 23 * 365


def test_cabinet_share_counts_each_rouble_once():
    day = MAR
    stats = [AdStat(date=day, campaign_id=1, sku=10, spend=700), AdStat(date=day, campaign_id=1, sku=11, spend=300),
             AdStat(date=day, campaign_id=2, sku=10, spend=500)]
    out = with_cabinet_share(stats, {(1, day): 1000, (2, day): 200})  # campaign 1 fully charged, 2 partly
    assert [s.cabinet for s in out] == [0, 0, 300]
