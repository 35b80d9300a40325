"""The interval that claims about day figures over several seeds rest on (tests/over_seeds.py)."""

from __future__ import annotations

import pytest
from over_seeds import falls, falls_by_sign, mean_difference_interval, rises, rises_by_sign


def test_the_interval_is_students_t_of_the_paired_differences() -> None:
    # differences 1, 2, 3: mean 2, standard error 1/sqrt(3), t(0.975; 2 df) = 4.3027
    low, high = mean_difference_interval([11.0, 12.0, 13.0], [10.0, 10.0, 10.0])
    assert low == pytest.approx(2 - 4.302653 / 3**0.5) and high == pytest.approx(
        2 + 4.302653 / 3**0.5
    )


def test_a_claim_needs_the_whole_interval_on_its_side() -> None:
    assert rises([2.0, 2.1, 1.9, 2.2], [1.0, 1.0, 1.0, 1.0])
    assert not rises([2.0, 0.5, 1.9, 0.4], [1.0, 1.0, 1.0, 1.0])  # the mean rises, not surely
    assert falls([0.0, 0.1, -0.1], [1.0, 1.0, 1.0]) and not falls([0.0, 0.1, -0.1], [0.0] * 3)
    with pytest.raises(ValueError, match="at least 2 seeds, got 1"):
        mean_difference_interval([1.0], [0.0])


def test_the_sign_test_counts_seeds_not_sizes() -> None:
    # one seed's huge rise cannot carry a claim the others contradict, and five of five can
    assert rises_by_sign([30.0, 1.1, 1.2, 1.3, 1.4], [0.0, 1.0, 1.0, 1.0, 1.0])
    assert not rises_by_sign([30.0, 0.9, 1.2, 1.3, 1.4], [0.0, 1.0, 1.0, 1.0, 1.0])  # p = 6/32
    assert falls_by_sign([0.0] * 5, [1.0] * 5) and not falls_by_sign([1.0] * 5, [1.0] * 5)
