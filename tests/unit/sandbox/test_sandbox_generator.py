"""The generator: deterministic, independent per day, shaped like Ozon's real answers, adding up."""

import datetime as dt
import json
import time
from decimal import Decimal

import pytest

from stpulse.adapters.sandbox.ozon import SellerWorld
from stpulse.adapters.sandbox.ozon.reference import real_accrual_types
from stpulse.adapters.sandbox.ozon.render import accrual_json
from stpulse.domain.kernel.money import kopecks_from_decimal
from stpulse.domain.ledger.accruals import Component

TODAY = dt.date(2026, 9, 30)
REAL_IDS = {t["id"] for t in real_accrual_types()}


def day_json(world: SellerWorld, day: dt.date) -> list[dict]:
    table = world.day_table(day)
    return accrual_json(table, world.salt, 0, table.n_accruals)


def k(money: dict | None) -> int:
    return kopecks_from_decimal(Decimal(money["amount"])) if money else 0


def parts_sum(a: dict) -> int:
    if a["accrued_category"] == "POSTING":
        total = 0
        for p in a["posting"]["products"]:
            c = p["commission"]
            if c:
                total += k(c["sale_price"]) + k(c["bonus"]) + k(c["coinvestment"]) + k(c["sale_commission"])
            total += k(p["delivery"]["total_accrued"])
        return total
    if a["accrued_category"] == "ITEM":
        return sum(k(f["accrued"]) for item in a["item_fees"]["fees"] for f in item["fees"])
    return k(a["non_item_fee"]["accrued"])


def test_same_seed_gives_the_same_world_and_another_seed_does_not():
    day = TODAY - dt.timedelta(days=3)
    a, b, c = SellerWorld(5, "small", TODAY), SellerWorld(5, "small", TODAY), SellerWorld(6, "small", TODAY)
    assert json.dumps(day_json(a, day)) == json.dumps(day_json(b, day))
    assert json.dumps(day_json(a, day)) != json.dumps(day_json(c, day))


def test_a_day_does_not_depend_on_what_was_generated_before():
    day = TODAY - dt.timedelta(days=100)
    warm = SellerWorld(5, "small", TODAY, day_cache_size=2, origin_cache_size=40)
    for back in range(0, 200, 7):  # churn the caches
        warm.day_table(TODAY - dt.timedelta(days=back))
    assert json.dumps(day_json(warm, day)) == json.dumps(day_json(SellerWorld(5, "small", TODAY), day))


def test_nothing_exists_outside_the_history():
    world = SellerWorld(5, "small", TODAY)
    assert world.day_table(TODAY + dt.timedelta(days=1)).n_accruals == 0
    assert world.day_table(world.start - dt.timedelta(days=1)).n_accruals == 0
    assert world.day_table(world.start).n_accruals > 0
    assert (TODAY - world.start).days == 729


def test_every_total_is_the_sum_of_its_parts_and_types_come_from_the_dictionary():
    world = SellerWorld(8, "small", TODAY)
    seen: set[int] = set()
    for day in world.days(TODAY - dt.timedelta(days=60), TODAY):
        for a in day_json(world, day):
            assert k(a["total_amount"]) == parts_sum(a), a
            for p in (a["posting"] or {}).get("products", []):
                seen |= {s["type_id"] for s in p["delivery"]["services"]}
                assert k(p["delivery"]["total_accrued"]) == sum(k(s["accrued"]) for s in p["delivery"]["services"])
            for item in (a["item_fees"] or {}).get("fees", []):
                seen |= {f["type_id"] for f in item["fees"]}
            if a["non_item_fee"]:
                seen.add(a["non_item_fee"]["type_id"])
    assert seen - REAL_IDS == {133}  # the one id Ozon "just added" (unmapped), nothing else foreign
    assert {1, 32, 29, 41, 46, 59, 74} <= seen  # acquiring, logistics, ads, storage, return logistics


def test_returns_reverse_the_sale_and_give_commission_back():
    world = SellerWorld(8, "small", TODAY)
    returns = [p["commission"] for day in world.days(TODAY - dt.timedelta(days=40), TODAY)
               for a in day_json(world, day) if a["posting"]
               for p in a["posting"]["products"] if p["commission"] and k(p["commission"]["sale_amount"]) < 0]
    assert returns
    for c in returns:
        assert k(c["sale_price"]) + k(c["bonus"]) + k(c["coinvestment"]) == k(c["sale_amount"]) < 0
        assert k(c["sale_commission"]) > 0 and k(c["seller_price"]) > 0


def test_normalised_lines_add_up_to_the_served_totals():
    world = SellerWorld(9, "small", TODAY)
    for day in world.days(TODAY - dt.timedelta(days=10), TODAY):
        served = {a["accrual_id"]: k(a["total_amount"]) for a in day_json(world, day)}
        by_accrual: dict[int, int] = {}
        keys = set()
        for line in world.accrual_lines(day, day):
            by_accrual[line.accrual_id] = by_accrual.get(line.accrual_id, 0) + line.amount
            keys.add((line.accrual_id, line.line_no))
            assert (line.type_id is None) == (line.component != Component.SERVICE)
        assert by_accrual == served
        assert len(keys) == world.day_table(day).n_lines


def test_sandbox_lines_match_the_ozon_adapter_normaliser():
    accruals = pytest.importorskip("stpulse.adapters.ozon.accruals")
    world = SellerWorld(9, "small", TODAY)
    day = TODAY - dt.timedelta(days=2)
    ours = list(world.accrual_lines(day, day))
    theirs = [line for a in day_json(world, day)
              for line in accruals.normalise_accrual(json.dumps(a).encode(), day).lines]
    assert [(x.accrual_id, x.line_no, x.component, x.type_id, x.amount, x.sku) for x in ours] == \
        [(x.accrual_id, x.line_no, x.component, x.type_id, x.amount, x.sku) for x in theirs]


def test_ground_truth_is_internally_consistent():
    world = SellerWorld(4, "small", TODAY)
    gt = world.ground_truth(TODAY - dt.timedelta(days=89), TODAY)
    assert gt.total == sum(gt.by_day.values()) == sum(gt.by_component.values()) == sum(gt.by_category.values())
    assert gt.by_component["sale"] > 0 > gt.by_component["commission"]
    assert len(gt.by_day) == 90
    assert gt.products == 30 and gt.stock_rows >= 30
    assert gt.postings_fbo > gt.postings_fbs > 0 and gt.returns > 0 and gt.delivered > 0
    again = world.ground_truth(TODAY - dt.timedelta(days=89), TODAY)
    assert again.by_sku == gt.by_sku and again.total == gt.total


def test_scale_of_the_profiles():
    for profile, skus, orders in (("small", 30, 20), ("medium", 500, 400)):
        world = SellerWorld(3, profile, TODAY)
        gt = world.ground_truth(TODAY - dt.timedelta(days=27), TODAY)
        per_day = (gt.postings_fbo + gt.postings_fbs) / 28
        assert world.catalog.n == skus
        assert 0.5 * orders < per_day < 2 * orders


def test_timing_of_one_large_day():
    started = time.perf_counter()
    world = SellerWorld(1, "large", TODAY)
    built = time.perf_counter()
    table = world.day_table(TODAY)
    first = time.perf_counter()
    world.day_table(TODAY - dt.timedelta(days=1))
    second = time.perf_counter()
    print(f"\nlarge: catalogue {built - started:.3f}s, first day {first - built:.3f}s "
          f"({table.n_accruals} accruals, {table.n_lines} lines), next day {second - first:.3f}s")
    assert table.n_accruals > 5000
