"""Metrics against hand-computed values, including the zero and single-worker edge cases."""

from __future__ import annotations

import numpy as np
import pytest

from bench.metrics import fairness, gini, jain


def test_gini_hand_computed() -> None:
    assert gini(np.array([1.0, 1.0, 1.0])) == 0.0
    # One of four earns everything: mean abs diff = 2*3*4/16 = 1.5, /(2*mean=2) -> 0.75
    assert gini(np.array([0.0, 0.0, 0.0, 4.0])) == pytest.approx(0.75)
    # [1, 3]: sum |xi-xj| = 4, / (2 * 4 * 2) = 0.25
    assert gini(np.array([1.0, 3.0])) == pytest.approx(0.25)


def test_jain_hand_computed() -> None:
    assert jain(np.array([2.0, 2.0])) == 1.0
    assert jain(np.array([0.0, 0.0, 0.0, 4.0])) == pytest.approx(0.25)
    assert jain(np.array([1.0, 3.0])) == pytest.approx(16 / 20)


def test_edge_cases() -> None:
    assert gini(np.zeros(5)) == 0.0 and jain(np.zeros(5)) == 1.0
    assert gini(np.array([7.0])) == 0.0 and jain(np.array([7.0])) == 1.0
    assert gini(np.array([])) == 0.0 and jain(np.array([])) == 1.0
    with pytest.raises(ValueError, match="non-negative"):
        gini(np.array([-1.0, 2.0]))


def test_invariances() -> None:
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 30, 50)
    assert gini(x) == pytest.approx(gini(rng.permutation(x)))
    assert gini(x) == pytest.approx(gini(3.5 * x))
    assert jain(x) == pytest.approx(jain(3.5 * x))


def test_fairness_summary() -> None:
    figures = fairness(np.array([10.0, 20.0, 30.0, 40.0]), min_wage=25.0)
    assert figures["min_hourly"] == 10.0
    assert figures["below_min_wage"] == 0.5
    assert figures["p10_hourly"] == pytest.approx(13.0)
    assert fairness(np.array([]), 10.0)["jain"] == 1.0
