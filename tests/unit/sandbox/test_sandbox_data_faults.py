"""Odd but true answers: re-dated accruals (also across a month end) and repeated ones, seeded, truth kept."""

import datetime as dt
from collections import Counter
from decimal import Decimal

from stpulse.adapters.sandbox.ozon import FaultConfig, create_sandbox_app, sandbox_state
from stpulse.adapters.sandbox.ozon.data_faults import faulty_ground_truth
from stpulse.domain.kernel.money import kopecks_from_decimal
from tests.unit.sandbox.conftest import SHOP_A, client_for, make_config
from tests.unit.sandbox.test_sandbox_api import fetch_day

FAULTS = FaultConfig(share_redated=0.1, share_repeated=0.05, seed=4)
FIRST, LAST = dt.date(2026, 8, 28), dt.date(2026, 9, 3)  # across the end of August


def k(money: dict) -> int:
    return kopecks_from_decimal(Decimal(money["amount"]))


async def served(faults: FaultConfig, page_size: int = 40) -> list[tuple[dt.date, dict]]:
    app = create_sandbox_app(make_config(faults=faults, accrual_page_size=page_size))
    out = []
    async with client_for(app) as client:
        for offset in range((LAST - FIRST).days + 1):
            day = FIRST + dt.timedelta(days=offset)
            accruals, _ = await fetch_day(client, day, SHOP_A)
            out += [(day, a) for a in accruals]
    return out


async def test_redated_and_repeated_accruals_keep_the_truth_by_their_served_date():
    answers = await served(FAULTS)
    unique = {a["accrual_id"]: a for _, a in answers}
    assert len(unique) < len(answers)  # repeats were served
    moved = [(day, a["date"]) for day, a in answers if a["date"] != day.isoformat()]
    assert {dt.date.fromisoformat(d) - day for day, d in moved} == {dt.timedelta(days=-1), dt.timedelta(days=1)}
    assert any(dt.date.fromisoformat(d).month != day.month for day, d in moved)  # across the month end
    by_date: Counter = Counter()
    for a in unique.values():
        by_date[dt.date.fromisoformat(a["date"])] += k(a["total_amount"])
    world = sandbox_state(create_sandbox_app(make_config())).world("1001")
    inner_first, inner_last = FIRST + dt.timedelta(days=1), LAST - dt.timedelta(days=1)
    truth = faulty_ground_truth(world, FAULTS, inner_first, inner_last)
    assert {d: v for d, v in by_date.items() if inner_first <= d <= inner_last} == truth.by_day
    assert truth.by_day != world.ground_truth(inner_first, inner_last).by_day  # the mode did move money
    assert sum(truth.by_day.values()) == truth.total


async def test_a_later_page_opens_with_the_last_accrual_of_the_page_before():
    app = create_sandbox_app(make_config(faults=FaultConfig(share_repeated=0.01, seed=1), accrual_page_size=10))
    async with client_for(app) as client:
        first = (await client.post("/v1/finance/accrual/by-day", json={"date": "2026-09-01", "last_id": ""},
                                   headers=SHOP_A)).json()
        second = (await client.post("/v1/finance/accrual/by-day", json={"date": "2026-09-01",
                                                                       "last_id": first["last_id"]},
                                    headers=SHOP_A)).json()
    assert second["accruals"][0] == first["accruals"][-1]


async def test_without_the_modes_nothing_changes():
    plain = await served(FaultConfig(seed=4))
    assert all(a["date"] == day.isoformat() for day, a in plain)
    assert len({a["accrual_id"] for _, a in plain}) == len(plain)
    assert sandbox_state(create_sandbox_app(make_config())).config.faults.share_redated == 0


async def test_odd_shapes_keep_the_money_true():
    answers = await served(FaultConfig(share_odd=0.2, seed=4))
    no_total = [a for _, a in answers if a["total_amount"] is None]
    numbers = [a for _, a in answers if a["total_amount"] and not isinstance(a["total_amount"]["amount"], str)]
    no_quantity = [a for _, a in answers if a.get("posting") and any(
        "quantity" not in p for p in a["posting"]["products"])]
    assert no_total and numbers and no_quantity
    world = sandbox_state(create_sandbox_app(make_config())).world("1001")
    totals = {a["accrual_id"]: k(a["total_amount"]) for _, a in await served(FaultConfig(seed=4))}
    assert all(Decimal(str(a["total_amount"]["amount"])) * 100 == totals[a["accrual_id"]] for a in numbers)
    assert sum(totals.values()) == world.ground_truth(FIRST, LAST).total
