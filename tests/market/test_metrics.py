"""Metrics against hand-computed values, including the zero and single-worker edge cases."""

from __future__ import annotations

import numpy as np
import pytest

from gigbench.market.metrics import fairness, gini, jain, weighted_gini, zone_service


def test_gini_hand_computed() -> None:
    assert gini(np.array([1.0, 1.0, 1.0])) == 0.0
    # One of four earns everything: mean abs diff = 2*3*4/16 = 1.5, /(2*mean=2) -> 0.75
    assert gini(np.array([0.0, 0.0, 0.0, 4.0])) == pytest.approx(0.75)
    # [1, 3]: sum |xi-xj| = 4, / (2 * 4 * 2) = 0.25
    assert gini(np.array([1.0, 3.0])) == pytest.approx(0.25)


def test_weighted_gini_is_the_gini_of_repeated_values() -> None:
    # Weight 2 on the 3 is the list [1, 3, 3]: sum |xi-xj| = 8, / (2 * 9 * 7/3) = 4/21.
    assert weighted_gini(np.array([1.0, 3.0]), np.array([1.0, 2.0])) == pytest.approx(4 / 21)
    assert gini(np.array([1.0, 3.0, 3.0])) == pytest.approx(4 / 21)


def test_jain_hand_computed() -> None:
    assert jain(np.array([2.0, 2.0])) == 1.0
    assert jain(np.array([0.0, 0.0, 0.0, 4.0])) == pytest.approx(0.25)
    assert jain(np.array([1.0, 3.0])) == pytest.approx(16 / 20)


def test_edge_cases() -> None:
    assert gini(np.zeros(5)) == 0.0 and jain(np.zeros(5)) == 1.0
    assert gini(np.array([7.0])) == 0.0 and jain(np.array([7.0])) == 1.0
    assert gini(np.array([])) == 0.0 and jain(np.array([])) == 1.0
    assert gini(np.full(1000, 0.1)) == 0.0  # equal values: exactly 0, never -1e-17
    with pytest.raises(ValueError, match="non-negative"):
        gini(np.array([-1.0, 2.0]))


def test_invariances() -> None:
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 30, 50)
    assert gini(x) == pytest.approx(gini(rng.permutation(x)))
    assert gini(x) == pytest.approx(gini(3.5 * x))
    assert jain(x) == pytest.approx(jain(3.5 * x))


def test_fairness_summary_before_and_after_costs() -> None:
    figures = fairness(np.array([10.0, 20.0, 30.0, 40.0]), np.array([5, 15, 25, 35.0]), 25.0)
    assert figures["hourly_pay_min"] == 10.0 and figures["hourly_net_min"] == 5.0
    assert figures["hourly_pay_p10"] == pytest.approx(13.0)
    assert figures["hourly_net_mean"] == pytest.approx(20.0)
    # Below the minimum wage is counted after costs: 5, 15 (25 is not below 25).
    assert figures["below_min_wage"] == 0.5
    empty = fairness(np.array([]), np.array([]), 10.0)
    assert empty["jain"] == 1.0 and np.isnan(empty["below_min_wage"])


def test_zone_service_worst_zone_and_its_shuffled_value() -> None:
    # Zone 0: 60 requests all served; zone 1: 60 requests, 30 served; zone 2: 10 (too few).
    zones = np.repeat([0, 1, 2], [60, 60, 10])
    served = np.concatenate([np.ones(60), np.arange(60) % 2, np.zeros(10)]).astype(bool)
    figures = zone_service(zones, served, min_requests=50, seed=3)
    assert figures["zone_worst_served"] == 0.5
    # Two equal-sized zones at 1.0 and 0.5: Gini = |1 - 0.5| * 2 / (2 * 4 * 0.75) = 1/6.
    assert figures["zone_service_gini"] == pytest.approx(1 / 6)
    # Shuffling spreads the same 90 served requests over all zones alike.
    assert figures["zone_worst_served_shuffled"] > 0.5
    assert figures["zone_service_gini_shuffled"] < 1 / 6
