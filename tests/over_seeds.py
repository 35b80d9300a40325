"""Claims about day figures, held over several seeds.

A simulated day's figures are path-dependent: one seed's comparison of two policies can flip
with a change anywhere upstream (a tie-break, a draw order) while the effect itself stands.
So a claim compares the two on the same demand for several seeds and states an interval for
the mean paired difference: it holds when the whole interval lies on the claimed side of zero.
A figure with a heavy tail (a minimum that is zero on some seeds) widens that interval however
large the effect: its claim is a sign test instead, which counts the seeds that move the
claimed way.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import stats

CONFIDENCE = 0.95


def mean_difference_interval(
    treated: Sequence[float], control: Sequence[float], confidence: float = CONFIDENCE
) -> tuple[float, float]:
    """Student's t interval at ``confidence`` (two-sided) for the mean of ``treated[i] -
    control[i]``, the paired differences of one figure on the same seeds."""
    diff = np.asarray(treated, dtype=np.float64) - np.asarray(control, dtype=np.float64)
    if len(diff) < 2:
        raise ValueError(f"expected figures of at least 2 seeds, got {len(diff)}")
    half = stats.t.ppf(0.5 + confidence / 2, len(diff) - 1) * stats.sem(diff)
    return float(diff.mean() - half), float(diff.mean() + half)


def describe(name: str, treated: Sequence[float], control: Sequence[float]) -> str:
    """The figures and the interval, for an assertion's message."""
    low, high = mean_difference_interval(treated, control)
    pairs = ", ".join(f"{t:.4g} vs {c:.4g}" for t, c in zip(treated, control, strict=True))
    up = int((np.asarray(treated) > np.asarray(control)).sum())
    return (
        f"{name}: {pairs}; {CONFIDENCE:.0%} interval of the mean difference"
        f" [{low:.4g}, {high:.4g}]; {up} of {len(treated)} seeds rise"
    )


def rises(treated: Sequence[float], control: Sequence[float]) -> bool:
    """Whether the mean paired difference is above zero, its whole interval."""
    return mean_difference_interval(treated, control)[0] > 0


def falls(treated: Sequence[float], control: Sequence[float]) -> bool:
    """Whether the mean paired difference is below zero, its whole interval."""
    return mean_difference_interval(treated, control)[1] < 0


def sign_test_p(treated: Sequence[float], control: Sequence[float], alternative: str) -> float:
    """One-sided sign test of the paired differences (ties dropped): the chance that as many
    seeds or more move the ``alternative`` way (``"greater"`` or ``"less"``) if no effect."""
    diff = np.asarray(treated, dtype=np.float64) - np.asarray(control, dtype=np.float64)
    moved = diff[diff != 0]
    if len(moved) == 0:
        return 1.0
    return float(
        stats.binomtest(int((moved > 0).sum()), len(moved), alternative=alternative).pvalue
    )


def rises_by_sign(treated: Sequence[float], control: Sequence[float]) -> bool:
    """Whether more seeds rise than chance allows (one-sided sign test at 1 - CONFIDENCE)."""
    return sign_test_p(treated, control, "greater") < 1 - CONFIDENCE


def falls_by_sign(treated: Sequence[float], control: Sequence[float]) -> bool:
    """Whether more seeds fall than chance allows (one-sided sign test at 1 - CONFIDENCE)."""
    return sign_test_p(treated, control, "less") < 1 - CONFIDENCE
