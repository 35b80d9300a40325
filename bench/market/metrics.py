"""Efficiency and fairness formulas (plain functions of arrays).

Fairness of pay is measured on earnings per online hour, ``e_i = pay_i / online_hours_i``
(before vehicle costs) and ``n_i = (pay_i - vehicle_costs_i) / online_hours_i`` (after them):

* Gini = sum_i sum_j |e_i - e_j| / (2 n^2 mean(e)), in [0, 1]; 0 when everyone earns alike;
  0 for an all-zero vector. With weights w (a request-weighted Gini of zone service rates):
  sum_ij w_i w_j |x_i - x_j| / (2 W^2 mean_w(x)), W = sum w.
* Jain = (sum e)^2 / (n * sum e^2), in [1/n, 1]; 1 when everyone earns alike, 1/n when one
  worker earns everything; 1 for an all-zero vector (nobody is treated worse).
* ``below_min_wage``: the share of workers whose hourly earnings *after vehicle costs* fall
  below the minimum wage (as minimum-wage standards count them).
* Zone service: each zone's served share of its requests; the worst zone among those with at
  least ``min_requests`` requests, and the request-weighted Gini of those zones' shares. Both
  are also computed with the served flags shuffled across all requests (seeded), which is what
  the same figure shows when service does not depend on the zone at all: read a figure against
  its shuffled value, not against 0.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "fairness",
    "fairness_counted",
    "gini",
    "group_gap",
    "jain",
    "percentile",
    "weighted_gini",
    "zone_service",
]


def weighted_gini(values: np.ndarray, weights: np.ndarray) -> float:
    """Gini coefficient of non-negative ``values`` counted with ``weights`` (0 = equal)."""
    x = np.asarray(values, dtype=np.float64)
    w = np.asarray(weights, dtype=np.float64)
    if x.size and x.min() < 0:
        raise ValueError(f"gini: expected non-negative values, got minimum {x.min()}")
    order = np.argsort(x, kind="stable")
    x, w = x[order], w[order]
    total_w, total = w.sum(), np.dot(w, x)
    # Equal values are exactly 0 (the sum below could round to -1e-17 there).
    if x.size == 0 or total_w <= 0 or total <= 0 or x[0] == x[-1]:
        return 0.0
    cumulative = np.cumsum(w)
    # Sorted form of the weighted mean absolute difference (module docs).
    return float(np.dot(w * x, 2.0 * cumulative - w - total_w) / (total_w * total))


def gini(values: np.ndarray) -> float:
    """Gini coefficient of non-negative values (0 = equal)."""
    values = np.asarray(values, dtype=np.float64)
    return weighted_gini(values, np.ones(values.size))


def jain(values: np.ndarray) -> float:
    """Jain's fairness index of non-negative values (1 = equal, 1/n = one takes all)."""
    x = np.asarray(values, dtype=np.float64)
    if x.size == 0:
        return 1.0
    if x.min() < 0:
        raise ValueError(f"jain: expected non-negative values, got minimum {x.min()}")
    top = x.max()
    if top == 0:
        return 1.0
    x = x / top  # squares of tiny values underflow (2e-163 squared is 0): scale first
    return float(x.sum() ** 2 / (x.size * np.sum(x * x)))


def percentile(values: np.ndarray, q: float) -> float:
    """The q-th percentile, NaN for no values."""
    values = np.asarray(values, dtype=np.float64)
    return float(np.percentile(values, q)) if values.size else float("nan")


def fairness_counted(
    online_hours: np.ndarray, days_online: np.ndarray, min_hours: float
) -> np.ndarray:
    """Which workers the pay-fairness figures count: online some time, and at least
    ``min_hours`` a day on average over the days they were online (an hourly rate over a few
    minutes online is noise). Per day, not in total: over a long run a worker online a few
    minutes a day would pass any total and bring the noise back."""
    hours = np.asarray(online_hours, dtype=np.float64)
    days = np.maximum(np.asarray(days_online, dtype=np.float64), 1.0)
    return (hours > 0) & (hours >= min_hours * days)


def fairness(hourly_pay: np.ndarray, hourly_net: np.ndarray, min_wage: float) -> dict[str, float]:
    """Gini and Jain of hourly pay; mean, p10 and min before and after vehicle costs; the share
    below ``min_wage`` after costs."""
    pay = np.asarray(hourly_pay, dtype=np.float64)
    net = np.asarray(hourly_net, dtype=np.float64)
    nan = float("nan")
    figures = {"gini": gini(pay), "jain": jain(pay)}
    for label, values in (("pay", pay), ("net", net)):
        figures[f"hourly_{label}_mean"] = float(values.mean()) if values.size else nan
        figures[f"hourly_{label}_p10"] = percentile(values, 10)
        figures[f"hourly_{label}_min"] = float(values.min()) if values.size else nan
    figures["below_min_wage"] = float(np.mean(net < min_wage)) if net.size else nan
    return figures


def _zone_figures(zones: np.ndarray, served: np.ndarray, min_requests: int) -> tuple[float, float]:
    requests = np.bincount(zones)
    hits = np.bincount(zones, weights=served.astype(np.float64), minlength=len(requests))
    busy = requests >= min_requests
    if not busy.any():
        return float("nan"), float("nan")
    rate = hits[busy] / requests[busy]
    return float(rate.min()), weighted_gini(rate, requests[busy])


def zone_service(
    zones: np.ndarray, served: np.ndarray, min_requests: int = 50, seed: int = 0
) -> dict[str, float]:
    """Worst zone's served share and the request-weighted Gini of zone served shares, with
    their values under shuffled service (see the module docs)."""
    zones = np.asarray(zones, dtype=np.int64)
    served = np.asarray(served, dtype=bool)
    if zones.size == 0:
        nan = float("nan")
        return dict.fromkeys(
            ("zone_worst_served", "zone_service_gini", "zone_worst_served_shuffled",
             "zone_service_gini_shuffled"), nan)  # fmt: skip
    worst, spread = _zone_figures(zones, served, min_requests)
    shuffled = np.random.default_rng(seed).permutation(served)
    worst_s, spread_s = _zone_figures(zones, shuffled, min_requests)
    return {
        "zone_worst_served": worst,
        "zone_service_gini": spread,
        "zone_worst_served_shuffled": worst_s,
        "zone_service_gini_shuffled": spread_s,
    }


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


def observed_pay(
    pay: np.ndarray, observed: np.ndarray, minutes: np.ndarray, served: np.ndarray
) -> dict[str, float]:
    """Simulated against recorded driver pay per trip-minute, on the same trips: the served
    trips whose record carries a driver pay (HVFHV replays).

    ``pay_per_trip_min`` = sum of simulated worker pay / sum of trip minutes,
    ``observed_pay_per_trip_min`` = sum of recorded driver pay / the same minutes, and
    ``pay_per_trip_min_ratio`` their ratio; NaN when no served trip has a recorded pay.
    """
    same = served & np.isfinite(observed)
    total = float(minutes[same].sum())
    if not same.any() or total <= 0:
        nan = float("nan")
        return {"pay_per_trip_min": nan, "observed_pay_per_trip_min": nan,
                "pay_per_trip_min_ratio": nan, "observed_pay_trips": float(same.sum())}  # fmt: skip
    simulated = float(pay[same].sum()) / total
    recorded = float(observed[same].sum()) / total
    return {
        "pay_per_trip_min": simulated,
        "observed_pay_per_trip_min": recorded,
        "pay_per_trip_min_ratio": simulated / recorded if recorded > 0 else float("nan"),
        "observed_pay_trips": float(same.sum()),
    }
