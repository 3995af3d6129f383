"""Largest-remainder splits over int64 arrays: parts always add up to the whole."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from stpulse.domain.kernel.allocation import (
    allocate_array,
    div_half_up,
    divide_half_up,
    percent_bp,
    ratio_bp,
)
from stpulse.domain.kernel.errors import DomainError
from stpulse.domain.kernel.money import allocate


def test_worked_example_100_roubles_over_three_skus():
    # 100,00 ₽ of storage over SKUs that sold 1 000, 2 000 and 3 000 ₽: 16,67 + 33,33 + 50,00
    assert allocate_array(10000, np.array([100000, 200000, 300000])).tolist() == [1667, 3333, 5000]


def test_ties_go_to_the_earlier_weight_and_negative_totals_mirror():
    assert allocate_array(1, np.array([1, 1, 1])).tolist() == [1, 0, 0]
    assert allocate_array(-100, np.array([1, 1, 1])).tolist() == [-34, -33, -33]


def test_zero_weights_split_evenly_and_bad_inputs_are_refused():
    assert allocate_array(5, np.zeros(2, np.int64)).tolist() == [3, 2]
    assert allocate_array(0, np.array([], np.int64)).tolist() == []
    with pytest.raises(DomainError):
        allocate_array(1, np.array([], np.int64))
    with pytest.raises(DomainError):
        allocate_array(1, np.array([1, -1]))


def test_huge_amounts_do_not_overflow():
    total = 9_000_000_000_000_000  # 90 трлн ₽
    parts = allocate_array(total, np.array([3_000_000_000, 7_000_000_000, 1]))
    assert int(parts.sum()) == total and parts.dtype == np.int64


@given(st.integers(-10**12, 10**12), st.lists(st.integers(0, 10**9), min_size=1, max_size=40))
def test_same_as_the_scalar_rule_and_sums_to_total(total, weights):
    parts = allocate_array(total, np.array(weights, dtype=np.int64))
    assert parts.dtype == np.int64
    assert int(parts.sum()) == total
    assert parts.tolist() == allocate(total, weights)


def test_half_up_division_and_percent_basis_points():
    assert divide_half_up(np.array([5, -5, 4, 7]), np.array([2, 2, 0, 3]))[0].tolist() == [3, -3, 0, 2]
    assert divide_half_up(np.array([1]), np.array([0]))[1].tolist() == [False]
    assert ratio_bp(np.array([1]), np.array([3]))[0].tolist() == [3333]
    assert percent_bp(2, 3) == 6667 and percent_bp(-1, 8) == -1250 and percent_bp(1, 0) is None
    assert percent_bp(1, -3) is None and ratio_bp(np.array([1]), np.array([-3]))[1].tolist() == [False]
    assert div_half_up(-7, 2) == -4 and div_half_up(7, -2) == -4


@given(st.integers(-10**6, 10**6), st.lists(st.integers(0, 3), min_size=1, max_size=300))
def test_many_equal_remainders_go_to_the_earliest_weights(total, weights):
    # the +1s are picked by a partition, not a sort: ties must still go in order, as the scalar rule does
    parts = allocate_array(total, np.array(weights, dtype=np.int64))
    assert parts.tolist() == allocate(total, weights)


@given(st.integers(-(2**62) + 1, 2**62 - 1), st.lists(st.integers(0, 10**13), min_size=1, max_size=40))
def test_products_beyond_int64_are_still_exact(total, weights):
    # weight × total overflows int64 here: the int64 path with a corrected float estimate must match Python ints
    parts = allocate_array(total, np.array(weights, dtype=np.int64))
    assert int(parts.sum()) == total
    assert parts.tolist() == allocate(total, weights)


def test_wide_products_worked_example():
    weights = np.array([10**12, 3 * 10**12 + 7, 1, 0, 5 * 10**11], dtype=np.int64)
    total = 4_000_000_000_000_000_003
    assert allocate_array(total, weights).tolist() == allocate(total, weights.tolist())


@given(st.lists(st.integers(0, 20), max_size=40), st.lists(st.integers(-2, 25), max_size=40))
def test_keys_are_found_as_a_dict_of_them_finds_them(keys, wanted):
    from stpulse.domain.kernel.grouping import find_keys

    positions = {k: i for i, k in enumerate(keys)}  # of equal keys, the last
    assert find_keys(np.array(keys, np.int64), np.array(wanted, np.int64)).tolist() == \
        [positions.get(w, -1) for w in wanted]
