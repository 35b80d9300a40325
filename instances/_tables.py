"""Sampling helpers and table assembly shared by the generators (private).

The synthetic generators (``city``, the ride presets, ``freelance``) and ``replay`` draw their
randomness the same way (independent streams from one ``SeedSequence``, profile-shaped
request times, mean-one lognormal noise, shifts and groups) and build the same task and worker
tables; this module holds those pieces once. Every function draws from ``rng`` in a fixed
order, so moving code here must not change any generated scenario.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pyarrow as pa

from gigbench.instances.scenario import TASK_SCHEMA, WORKER_SCHEMA

__all__ = [
    "fleet_size",
    "grid_zones",
    "groups",
    "mean_one_lognormal",
    "profile_times",
    "ramped_request_times",
    "rush_profile",
    "shifts",
    "streams",
    "task_table",
    "worker_table",
]


def streams(seed: int, n: int) -> list[np.random.Generator]:
    """``n`` independent generators spawned from ``SeedSequence(seed)``; ``seed`` an int >= 0."""
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise TypeError(f"seed: expected an int >= 0, got {type(seed).__name__} {seed!r}")
    return [np.random.default_rng(s) for s in np.random.SeedSequence(int(seed)).spawn(n)]


def mean_one_lognormal(rng: np.random.Generator, sigma: float, n: int) -> np.ndarray:
    """``exp(sigma Z - sigma^2 / 2)``: lognormal multipliers of mean 1."""
    return np.exp(sigma * rng.standard_normal(n) - 0.5 * sigma * sigma)


def profile_times(
    rng: np.random.Generator, n: int, weights: Sequence[float], horizon_h: float
) -> np.ndarray:
    """``n`` times (s) with density proportional to ``weights[hour % 24]`` on the horizon."""
    starts = np.arange(math.ceil(horizon_h), dtype=np.float64)
    widths = np.minimum(1.0, horizon_h - starts)
    mass = np.asarray(weights, dtype=np.float64)[starts.astype(np.int64) % 24] * widths
    if mass.sum() <= 0:
        raise ValueError(
            f"hourly_profile: expected a positive weight within the {horizon_h} h horizon, "
            "got only zeros there; lengthen the horizon or change the profile"
        )
    cdf = np.concatenate(([0.0], np.cumsum(mass) / mass.sum()))
    cdf[-1] = 1.0
    u = rng.random(n)
    seg = np.searchsorted(cdf[1:], u, side="right")  # never a zero-mass hour
    frac = (u - cdf[seg]) / (cdf[seg + 1] - cdf[seg])
    hours = starts[seg] + np.clip(frac, 0.0, 1.0) * widths[seg]
    return np.minimum(hours * 3600.0, horizon_h * 3600.0)


def rush_profile(
    profile: tuple[float, ...], rush_ramp: float, rush_hours: tuple[float, ...], width_h: float
) -> np.ndarray:
    """``profile[h] * (1 + rush_ramp * ramp(h))``: a triangle of half-width ``width_h`` hours
    around each peak in ``rush_hours`` (distance on the 24-hour clock, at the hour's middle)."""
    hours = np.arange(24) + 0.5
    ramp = np.zeros(24)
    for peak in rush_hours:
        gap = np.abs(hours - (peak + 0.5))
        gap = np.minimum(gap, 24.0 - gap)
        ramp = np.maximum(ramp, np.clip(1.0 - gap / width_h, 0.0, 1.0))
    return np.asarray(profile, dtype=np.float64) * (1.0 + rush_ramp * ramp)


def ramped_request_times(rng: np.random.Generator, p: Any) -> np.ndarray:
    """Sorted request times (s): a ``Poisson`` count and the base profile with rush ramps.

    ``p`` has ``hourly_profile``, ``rush_ramp``, ``rush_hours``, ``rush_width_h``,
    ``horizon_h`` and ``n_tasks`` (the expected count at ``rush_ramp = 0``; ramps add to it).
    """
    profile = rush_profile(p.hourly_profile, p.rush_ramp, p.rush_hours, p.rush_width_h)
    base = np.asarray(p.hourly_profile)
    n_hours = math.ceil(p.horizon_h)
    widths = np.minimum(1.0, p.horizon_h - np.arange(n_hours))
    hour_of = np.arange(n_hours) % 24
    scale = (profile[hour_of] * widths).sum() / max((base[hour_of] * widths).sum(), 1e-300)
    n = int(rng.poisson(p.n_tasks * scale))
    return np.sort(profile_times(rng, n, tuple(profile), p.horizon_h))


def grid_zones(xy: np.ndarray, width_km: float, height_km: float, zone_km: float) -> np.ndarray:
    """Grid cell of each ``(x, y)`` row (km), numbered row by row from the origin."""
    n_cols = math.ceil(width_km / zone_km - 1e-9)
    n_rows = math.ceil(height_km / zone_km - 1e-9)
    col = np.minimum(np.floor(xy[:, 0] / zone_km), n_cols - 1).astype(np.int32)
    row = np.minimum(np.floor(xy[:, 1] / zone_km), n_rows - 1).astype(np.int32)
    return row * n_cols + col


def fleet_size(
    n_workers: int,
    supply_ratio: float,
    work_hours: float,
    shift_hours: tuple[float, ...],
    profile: tuple[float, ...],
    horizon_h: float,
) -> int:
    """``n_workers`` if positive, else ``round(supply_ratio * work_hours / h)`` with ``h`` the
    expected online hours a shift of :func:`shifts` spends within the horizon, so that
    ``supply_ratio`` is online worker-hours per hour of work requested."""
    if n_workers > 0:
        return n_workers
    online_h = shift_plan(tuple(shift_hours), tuple(profile), float(horizon_h))[2]
    return max(1, round(supply_ratio * work_hours / online_h))


@functools.lru_cache(maxsize=32)
def shift_plan(
    shift_hours: tuple[float, ...], profile: tuple[float, ...], horizon_h: float
) -> tuple[np.ndarray, np.ndarray, float]:
    """Shift kinds ``(start hour, length bin)``, their probabilities, and the expected online
    hours a shift spends within the horizon, fitted so that the expected number of workers
    online in every hour of the horizon is proportional to ``profile``.

    Lengths are cut into 6 equal bins of ``shift_hours``; ``C[h, (k, b)]`` is the expected
    time online in hour ``h`` of a shift starting uniformly in hour ``k`` with a length uniform
    in bin ``b``, cut at the horizon's edges (a shift may start up to ``max(shift_hours)``
    before the horizon: yesterday's, truncated, not moved). The probabilities are the
    non-negative least-squares fit ``C w ~ profile`` (:func:`_nonnegative_fit`), normalised. Supply
    then follows demand hour by hour instead of being smeared around it (midpoints drawn from
    the profile flood the early-morning trough with idle workers).
    """
    n_hours, n_bins = math.ceil(horizon_h), 6
    edges = np.linspace(shift_hours[0], shift_hours[1], n_bins + 1)
    starts = np.arange(1 - math.ceil(shift_hours[1]), n_hours)
    kinds = np.array([(k, b) for k in starts for b in range(n_bins)])
    # Quadrature: 10 start offsets x 5 lengths per kind, exact overlap with every hour.
    offset = (np.arange(10) + 0.5) / 10.0
    fraction = np.linspace(0.0, 1.0, 5)
    lo, hi = edges[kinds[:, 1]], edges[kinds[:, 1] + 1]
    start = kinds[:, 0, None, None] + offset[None, :, None]  # (kinds, 10, 1)
    end = start + (lo[:, None, None] + (hi - lo)[:, None, None] * fraction[None, None, :])
    start, end = np.maximum(start, 0.0), np.minimum(end, horizon_h)
    hours = np.arange(n_hours, dtype=np.float64)[:, None, None, None]
    overlap = np.minimum(end, hours + 1.0) - np.maximum(start, hours)
    coverage = np.clip(overlap, 0.0, None).mean(axis=(2, 3))  # (hours, kinds)
    widths = np.minimum(1.0, horizon_h - np.arange(n_hours))
    target = np.asarray(profile, dtype=np.float64)[np.arange(n_hours) % 24] * widths
    weights = _nonnegative_fit(coverage, target)
    if weights.sum() <= 0:  # a profile with no weight anywhere: any kind alike
        weights = np.ones(len(kinds))
    weights = weights / weights.sum()
    return kinds, weights, float(coverage.sum(axis=0) @ weights)


def _nonnegative_fit(a: np.ndarray, b: np.ndarray, iterations: int = 3000) -> np.ndarray:
    """Non-negative least squares ``min |a x - b|, x >= 0`` for non-negative ``a`` and ``b`` by
    Lee and Seung's multiplicative updates ``x <- x * (a^T b) / (a^T a x)`` (each step lowers
    the residual and keeps ``x >= 0``), which avoid importing scipy.optimize (seconds) for a
    24-row fit."""
    atb, ata = a.T @ b, a.T @ a
    x = np.full(a.shape[1], max(float(b.sum()), 1e-12) / max(float(a.sum()), 1e-12))
    for _ in range(iterations):
        x *= atb / np.maximum(ata @ x, 1e-300)
    return x


def shifts(
    rng: np.random.Generator,
    n: int,
    shift_hours: tuple[float, ...],
    profile: tuple[float, ...],
    horizon_h: float,
) -> tuple[np.ndarray, np.ndarray]:
    """(online, offline) seconds, sorted by online: each shift's start hour and length bin
    drawn from :func:`shift_plan`, the start uniform within its hour and the length within its
    bin (at least a second), cut at the horizon's edges; so supply follows ``profile``."""
    horizon_s = horizon_h * 3600.0
    kinds, prob, _ = shift_plan(tuple(shift_hours), tuple(profile), float(horizon_h))
    kind = kinds[rng.choice(len(prob), size=n, p=prob)]
    edges = np.linspace(shift_hours[0], shift_hours[1], 7)
    length = rng.uniform(edges[kind[:, 1]], edges[kind[:, 1] + 1]) * 3600.0
    start = (kind[:, 0] + rng.random(n)) * 3600.0
    end = start + np.maximum(length, 1.0)
    # Truncated at both edges; a shift that would end before the horizon starts cannot be drawn.
    online = np.minimum(np.maximum(start, 0.0), horizon_s - 1.0)
    offline = np.maximum(np.minimum(end, horizon_s), online + 1.0)
    order = np.argsort(online, kind="stable")
    return online[order], offline[order]


def groups(rng: np.random.Generator, n: int, labels, shares) -> list[str]:
    """Group labels drawn with probabilities ``shares`` (normalised)."""
    prob = np.asarray(shares, dtype=np.float64) / sum(shares)
    return np.asarray(labels, dtype=object)[rng.choice(len(prob), size=n, p=prob)].tolist()


def task_table(
    times: np.ndarray,
    origin: np.ndarray,
    dest: np.ndarray,
    origin_zone: np.ndarray,
    dest_zone: np.ndarray,
    distance_km: np.ndarray,
    duration_min: np.ndarray,
    value: np.ndarray,
    patience_s: np.ndarray,
    *,
    skill: np.ndarray | None = None,
    origin_lon_lat: tuple[np.ndarray, np.ndarray] | None = None,
    dest_lon_lat: tuple[np.ndarray, np.ndarray] | None = None,
    observed: dict[str, np.ndarray] | None = None,
) -> pa.Table:
    """The tasks table (``TASK_SCHEMA``); ``origin`` and ``dest`` are ``(n, 2)`` km arrays.

    Ids count from 0 in row order. Missing lon/lat and ``observed`` columns (recorded fares,
    pay and times: ``{"observed_fare": ...}``) are NaN; a missing ``skill`` is -1 (any worker).
    """
    n = len(times)
    nan = np.full(n, np.nan)
    olon, olat = origin_lon_lat if origin_lon_lat is not None else (nan, nan)
    dlon, dlat = dest_lon_lat if dest_lon_lat is not None else (nan, nan)
    columns = {
        "task_id": np.arange(n, dtype=np.int64),
        "request_time": times,
        "origin_x": origin[:, 0],
        "origin_y": origin[:, 1],
        "dest_x": dest[:, 0],
        "dest_y": dest[:, 1],
        "origin_lon": olon,
        "origin_lat": olat,
        "dest_lon": dlon,
        "dest_lat": dlat,
        "origin_zone": origin_zone,
        "dest_zone": dest_zone,
        "distance_km": distance_km,
        "duration_min": duration_min,
        "value": value,
        "patience_s": patience_s,
        "skill": np.full(n, -1, dtype=np.int32) if skill is None else skill,
    }
    recorded = observed or {}
    for name in TASK_SCHEMA.names:
        if name.startswith("observed_"):
            columns[name] = recorded.get(name, nan)
    return pa.Table.from_pydict(columns, schema=TASK_SCHEMA)


def worker_table(
    online: np.ndarray,
    offline: np.ndarray,
    start: np.ndarray,
    reservation_wage: np.ndarray,
    group: list[str],
    *,
    skills: np.ndarray | None = None,
    capacity: np.ndarray | None = None,
    vehicle: str = "car",
) -> pa.Table:
    """The workers table (``WORKER_SCHEMA``); ``start`` is an ``(n, 2)`` km array.

    Ids count from 0 in row order. A missing ``skills`` is -1 (every skill), a missing
    ``capacity`` is 1.
    """
    n = len(online)
    columns = {
        "worker_id": np.arange(n, dtype=np.int64),
        "online_time": online,
        "offline_time": offline,
        "start_x": start[:, 0],
        "start_y": start[:, 1],
        "skills": np.full(n, -1, dtype=np.int64) if skills is None else skills,
        "reservation_wage": reservation_wage,
        "capacity": np.ones(n, dtype=np.int32) if capacity is None else capacity,
        "vehicle": [vehicle] * n,
        "group": group,
    }
    return pa.Table.from_pydict(columns, schema=WORKER_SCHEMA)
