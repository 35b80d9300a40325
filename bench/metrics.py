"""Efficiency and fairness figures, as formulas.

Fairness is measured on earnings per online hour ``e_i = pay_i / online_hours_i``:

* Gini = sum_i sum_j |e_i - e_j| / (2 n^2 mean(e)), in [0, 1]; 0 when everyone earns alike.
  Defined as 0 for an all-zero vector.
* Jain = (sum e)^2 / (n * sum e^2), in (0, 1]; 1 when everyone earns alike, 1/n when one
  worker earns everything. Defined as 1 for an all-zero vector (nobody is treated worse).
* min, p10: the lowest and 10th-percentile hourly earnings; ``below_min_wage``: the share of
  workers whose hourly earnings fall below the minimum wage.
"""

from __future__ import annotations

import numpy as np


def gini(values: np.ndarray) -> float:
    """Gini coefficient of non-negative values (0 = equal)."""
    x = np.sort(np.asarray(values, dtype=np.float64))
    if x.size == 0:
        return 0.0
    if x[0] < 0:
        raise ValueError(f"gini: expected non-negative values, got minimum {x[0]}")
    total = x.sum()
    if total == 0:
        return 0.0
    n = x.size
    # Sorted form of the mean absolute difference: sum_i (2i - n - 1) x_i / (n * total).
    ranks = np.arange(1, n + 1)
    # Rounding can leave -1e-17 for equal values; the coefficient is in [0, 1] by definition.
    return float(np.clip(np.sum((2 * ranks - n - 1) * x) / (n * total), 0.0, 1.0))


def jain(values: np.ndarray) -> float:
    """Jain's fairness index of non-negative values (1 = equal, 1/n = one takes all)."""
    x = np.asarray(values, dtype=np.float64)
    if x.size == 0:
        return 1.0
    if x.min() < 0:
        raise ValueError(f"jain: expected non-negative values, got minimum {x.min()}")
    squares = np.sum(x * x)
    if squares == 0:
        return 1.0
    return float(np.clip(x.sum() ** 2 / (x.size * squares), 1.0 / x.size, 1.0))


def fairness(hourly: np.ndarray, min_wage: float) -> dict[str, float]:
    """Gini, Jain, min, p10 and share below ``min_wage`` of hourly earnings."""
    hourly = np.asarray(hourly, dtype=np.float64)
    if hourly.size == 0:
        nan = float("nan")
        return {
            "gini": 0.0,
            "jain": 1.0,
            "min_hourly": nan,
            "p10_hourly": nan,
            "below_min_wage": nan,
        }
    return {
        "gini": gini(hourly),
        "jain": jain(hourly),
        "min_hourly": float(hourly.min()),
        "p10_hourly": float(np.percentile(hourly, 10)),
        "below_min_wage": float(np.mean(hourly < min_wage)),
    }


def percentile(values: np.ndarray, q: float) -> float:
    """The q-th percentile, NaN for no values."""
    values = np.asarray(values, dtype=np.float64)
    return float(np.percentile(values, q)) if values.size else float("nan")


def zone_gap(zones: np.ndarray, served: np.ndarray, min_requests: int = 20) -> float:
    """Service-rate gap: best minus worst served share over zones with at least
    ``min_requests`` requests (NaN when fewer than two zones qualify)."""
    zones = np.asarray(zones, dtype=np.int64)
    if zones.size == 0:
        return float("nan")
    requests = np.bincount(zones)
    hits = np.bincount(zones, weights=np.asarray(served, dtype=np.float64))
    busy = requests >= min_requests
    if np.count_nonzero(busy) < 2:
        return float("nan")
    rate = hits[busy] / requests[busy]
    return float(rate.max() - rate.min())


def group_gap(groups: np.ndarray, hourly: np.ndarray) -> float:
    """Gap between the best- and worst-paid worker group's mean hourly earnings."""
    groups = np.asarray(groups)
    if groups.size == 0:
        return float("nan")
    labels, index = np.unique(groups, return_inverse=True)
    if len(labels) < 2:
        return 0.0
    means = np.bincount(index, weights=hourly) / np.bincount(index)
    return float(means.max() - means.min())
