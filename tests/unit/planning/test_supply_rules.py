"""Planning rules on fixed histories (issue 13 acceptance 3, issue 15 acceptance 1)."""

from __future__ import annotations

import numpy as np
import pytest

from stpulse.domain.planning.history import StockHistory
from stpulse.domain.planning.supply import SupplyParams, recommend, round_to_box
from stpulse.domain.planning.velocity import in_stock_average, in_stock_days, seasonal_factor
from stpulse.domain.reports.stock import build_stock
from stpulse.domain.reports.supply_plan import build_supply_plan


def half_out_of_stock() -> tuple[np.ndarray, np.ndarray]:
    """30 days: 15 days selling 4 a day with stock, then 15 days with nothing on the shelf and no sales."""
    sold = np.array([[4] * 15 + [0] * 15])
    available = np.array([[100 - 4 * (d + 1) for d in range(15)] + [0] * 15])
    return available, sold


def test_half_the_window_out_of_stock_counts_in_stock_days_only() -> None:
    available, sold = half_out_of_stock()
    mask = in_stock_days(available, sold)
    assert mask.sum() == 15
    assert in_stock_average(sold, mask, 30)[0] == pytest.approx(4.0)  # not 60 / 30 = 2
    assert np.isnan(in_stock_average(sold, mask, 7)[0])  # the last 7 days were all out of stock


def test_a_sale_proves_stock_even_when_the_day_ended_empty() -> None:
    available = np.array([[5, 0, 0, 0]])
    sold = np.array([[1, 5, 0, 0]])
    assert in_stock_average(sold, in_stock_days(available, sold), 4)[0] == pytest.approx(3.0)


def test_stock_report_speed_on_a_fixed_history() -> None:
    available, sold = half_out_of_stock()
    history = StockHistory(last_day=20_000, shop=np.array([1]), sku=np.array([111]), cluster=("Казань",),
                           warehouse=("КАЗАНЬ_РФЦ",), available=available, sold=sold, reserved=np.array([0]),
                           transit=np.array([0]), snapshot_days=30)
    table = build_stock(history, {(1, 111): "ART-1"}, {(1, 111): 10_000}, "на 01.10.2024")
    row = table.rows[0]
    values = dict(zip([c.code for c in table.columns], row.values, strict=True))
    assert values["ads30"] == 400 and values["ads14"] is None and values["available"] == 0
    assert row.highlight == "loss"


def test_transit_lowers_the_recommendation_by_exactly_its_quantity() -> None:
    p = SupplyParams(lead_days=10, cover_days=20, safety_days=5, box=1, min_order=0)
    without = recommend(3.0, 1.0, stock=20, transit=0, p=p)
    with_transit = recommend(3.0, 1.0, stock=20, transit=17, p=p)
    assert without.quantity == 3 * 35 - 20 == 85
    assert without.quantity - with_transit.quantity == 17


def test_rounding_goes_up_to_the_box_multiple() -> None:
    p = SupplyParams(lead_days=10, cover_days=20, safety_days=0, box=12, min_order=0)
    rec = recommend(1.0, 1.0, stock=0, transit=0, p=p)  # need 30
    assert rec.need == 30 and rec.quantity == 36
    assert round_to_box(36, 12) == 36 and round_to_box(37, 12) == 48


def test_minimum_order_is_respected() -> None:
    p = SupplyParams(lead_days=5, cover_days=5, safety_days=0, box=5, min_order=50)
    rec = recommend(1.0, 1.0, stock=0, transit=0, p=p)  # need 10, raised to 50
    assert rec.quantity == 50
    assert recommend(1.0, 1.0, stock=100, transit=0, p=p).quantity == 0  # nothing needed: no minimum


def test_seasonal_factor_is_one_without_last_year() -> None:
    short = np.ones((1, 200))
    assert seasonal_factor(short, history_days=200, window=30, horizon=44)[0] == 1.0


def test_seasonal_factor_from_the_same_weeks_last_year() -> None:
    daily = np.zeros((1, 500))
    today = 499
    ly = today - 364
    daily[0, ly - 29:ly + 1] = 2.0  # last year's window: 2 a day
    daily[0, ly + 1:ly + 45] = 3.0  # the coming 44 days last year: 3 a day
    assert seasonal_factor(daily, 500, 30, 44)[0] == pytest.approx(1.5)


def test_formula_shows_the_numbers_and_plan_groups_by_cluster() -> None:
    available = np.array([[10] * 30, [5] * 30, [7] * 30])
    sold = np.array([[2] * 30, [1] * 30, [3] * 30])
    history = StockHistory(last_day=20_000, shop=np.array([1, 1, 1]), sku=np.array([5, 5, 6]),
                           cluster=("Казань", "Казань", "Уфа"), warehouse=("A", "B", "C"), available=available,
                           sold=sold, reserved=np.zeros(3, np.int64), transit=np.array([4, 0, 0]), snapshot_days=30)
    defaults = SupplyParams(lead_days=7, cover_days=14, safety_days=0)
    table = build_supply_plan(history, {}, {}, defaults, 30, "")
    kazan = table.rows[0]
    assert kazan.note.startswith("Казань: ⌈3,00 шт/дн × 1,00 × (7 + 14) дн")
    assert kazan.values[-1] == 3 * 21 - 15 - 4 == 44
    assert [r.code for r in table.rows if r.emphasis] == ["cluster:Казань", "cluster:Уфа", "total"]
    assert table.rows[-1].values[-1] == 44 + 3 * 21 - 7
