"""The sandbox's settlement model: the realization report, the cash-flow statement and the daily balance tell
one consistent story, and it differs from the accruals in every way «Сверка с Ozon» must explain."""

import datetime as dt

from stpulse.adapters.sandbox.ozon import settlement as st
from stpulse.adapters.sandbox.ozon.recon_truth import day_sums, recon_truth
from stpulse.domain.reports import recon as r
from tests.unit.sandbox.conftest import SHOP_A

FIRST, LAST = dt.date(2025, 10, 1), dt.date(2026, 8, 1)


def kop(value: float) -> int:
    return round(value * 100)


async def _month_from_answers(client, world, month: dt.date) -> r.SettlementMonth:
    """A SettlementMonth made only from the sandbox's HTTP answers (and its accrual day sums)."""
    nxt = (month + dt.timedelta(days=32)).replace(day=1)
    last = nxt - dt.timedelta(days=1)
    rows = (await client.post("/v2/finance/realization", json={"month": month.month, "year": month.year},
                              headers=SHOP_A)).json()["result"]["rows"]
    body = {"date": {"from": f"{month}T00:00:00Z", "to": f"{last}T00:00:00Z"}, "page": 1, "page_size": 1,
            "with_details": True}
    periods = []
    for page in (1, 2):
        result = (await client.post("/v1/finance/cash-flow-statement/list", json={**body, "page": page},
                                    headers=SHOP_A)).json()["result"]
        flow, details = result["cash_flows"][0], result["details"]
        accrued = sum(kop(flow[k]) for k in ("orders_amount", "returns_amount", "commission_amount",
                                              "services_amount", "item_delivery_and_return_amount"))
        periods.append((accrued, kop(details["invoice_transfer"]), -sum(kop(p["payment"]) for p in details["payments"])))
    paid = 0
    for i in range((last - month).days + 1):
        day = month + dt.timedelta(days=i)
        answer = (await client.post("/v1/finance/balance", json={"date_from": str(day), "date_to": str(day)},
                                    headers=SHOP_A)).json()["total"]
        paid -= sum(kop(p["value"]) for p in answer["payments"])
    sums = [day_sums(world, month + dt.timedelta(days=i)) for i in range((last - month).days + 1)]
    return r.SettlementMonth(
        shop_id=1, month=0, accrued=sum(s.total for s in sums), delivered=sum(s.delivered for s in sums),
        returned=sum(s.returned for s in sums), compensations=sum(s.compensations for s in sums),
        services=sum(s.services for s in sums), delivered_first=day_sums(world, month).delivered,
        returned_early=day_sums(world, month).returned + day_sums(world, month + dt.timedelta(days=1)).returned,
        delivered_first_next=day_sums(world, nxt).delivered,
        returned_early_next=day_sums(world, nxt).returned + day_sums(world, nxt + dt.timedelta(days=1)).returned,
        realized_delivered=sum(kop(x["delivery_commission"]["total"]) for x in rows if x["delivery_commission"]),
        realized_returned=-sum(kop(x["return_commission"]["total"]) for x in rows if x["return_commission"]),
        statement_accrued=sum(a for a, _, _ in periods), statement_invoice=sum(i for _, i, _ in periods),
        statement_holds=sum(max(a - i, 0) for a, i, _ in periods),
        statement_releases=sum(min(a - i, 0) for a, i, _ in periods), statement_paid=sum(p for _, _, p in periods),
        paid=paid)


async def test_answers_reconcile_to_the_ground_truth_categories(client, state):
    world = state.world("1001")
    truth = recon_truth(world, FIRST, LAST)
    seen = {c: 0 for c in (r.MONTH_END_DELIVERIES, r.RETURNS_LATER, r.HOLDS, r.RELEASES, r.PAYOUT_TIMING)}
    for month, gt in truth.items():
        got = r.reconcile(await _month_from_answers(client, world, month))
        assert (got.accrued, got.realized, got.paid) == (gt.accrued, gt.realized, gt.paid), month
        assert got.categories == gt.categories, month
        assert got.categories[r.UNEXPLAINED_REALIZATION] == got.categories[r.UNEXPLAINED_PAYOUTS] == 0
        for code in seen:
            seen[code] += abs(gt.categories[code] or 0) > 0
        for code, value in gt.categories.items():  # the reasons itemise every category
            if code not in r.UNEXPLAINED:
                assert sum(v for c, v, _ in gt.reasons if c == code) == value, (month, code)
    assert all(seen.values()), seen  # every kind of difference happens in the year


async def test_daily_balances_chain_and_payments_split_across_a_month_end(client, state):
    world = state.world("1001")
    closing = None
    for i in range(62):
        day = dt.date(2026, 3, 1) + dt.timedelta(days=i)
        total = (await client.post("/v1/finance/balance", json={"date_from": str(day), "date_to": str(day)},
                                   headers=SHOP_A)).json()["total"]
        opening = kop(total["opening_balance"]["value"])
        assert closing is None or opening == closing, day
        paid = -sum(kop(p["value"]) for p in total["payments"])
        closing = kop(total["closing_balance"]["value"])
        assert closing == opening + kop(total["accrued"]["value"]) - paid
    kinds = {p.kind for p in st.payments(world, FIRST, LAST)}
    assert kinds == {"regular", "split_first", "split_second"}
    split = [p for p in st.payments(world, FIRST, LAST) if p.kind == "split_second"]
    assert any(p.day.month != st.period_bounds(p.period)[0].month for p in split)
