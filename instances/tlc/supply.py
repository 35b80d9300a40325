"""The synthetic fleet of a replay (no public trip file carries a driver id).

``supply=fitted`` (the default) sizes and places the fleet so the recorded trips can be
served. Each recorded trip occupies one vehicle from its dispatch to its drop-off: dispatch
is the recorded request time where the file has one (high-volume FHV), else
``approach_min`` before the pick-up. With ``busy(h)`` the most vehicles occupied at once in
any minute of hour ``h``, the fleet online in hour ``h`` is ``ceil(supply_headroom *
busy(h))`` (the headroom pays for the empty drive to each pick-up, which the recorded
vehicles did between trips). That staffing curve is cut into shifts layer by layer (a worker
per maximal run of hours in which the curve reaches its level), so exactly that many workers
are online in each hour. A worker going online in hour ``h`` starts at the pick-up point of a
trip requested in that hour (seeded choice, fresh zone jitter).

``supply=ratio`` is the preset model: ``n_workers`` shifts, or ``round(supply_ratio * trip
hours / mean shift hours)``; shift lengths ``U(shift_hours)`` with midpoints drawn from the
requests' hour-of-day histogram; start positions at pick-up points of the first hour's trips.

Both draw reservation wages ``U(reservation_wage_per_h)`` and groups by ``group_shares``.
"""

from __future__ import annotations

import math

import numpy as np
import pyarrow as pa

from instances._tables import fleet_size, groups, shifts, worker_table
from instances.tlc.params import ReplayParams

__all__ = ["fitted_curve", "synthesize_supply"]


def fitted_curve(
    dispatch_s: np.ndarray, dropoff_s: np.ndarray, horizon_s: float, headroom: float
) -> np.ndarray:
    """Workers to have online in each hour of the horizon (see the module docs)."""
    minutes = max(1, math.ceil(horizon_s / 60.0))
    start = np.clip(np.floor(dispatch_s / 60.0).astype(np.int64), 0, minutes - 1)
    end = np.clip(np.ceil(dropoff_s / 60.0).astype(np.int64), 0, minutes)
    end = np.maximum(end, start + 1)
    diff = np.zeros(minutes + 1, dtype=np.int64)
    np.add.at(diff, start, 1)
    np.add.at(diff, end, -1)
    busy = np.cumsum(diff[:-1])
    hours = math.ceil(minutes / 60)
    padded = np.zeros(hours * 60, dtype=np.int64)
    padded[:minutes] = busy
    peak = padded.reshape(hours, 60).max(axis=1)
    return np.ceil(headroom * peak - 1e-9).astype(np.int64)


def _layer_shifts(curve: np.ndarray, horizon_s: float) -> tuple[np.ndarray, np.ndarray]:
    """(online, offline) seconds: one shift per maximal run of hours with ``curve >= level``."""
    top = int(curve.max()) if curve.size else 0
    if top == 0:
        return np.zeros(0), np.zeros(0)
    levels = np.arange(1, top + 1)
    on = curve[None, :] >= levels[:, None]  # level x hour
    edge = np.zeros((top, 1), dtype=bool)
    starts = on & ~np.hstack([edge, on[:, :-1]])
    ends = on & ~np.hstack([on[:, 1:], edge])
    start_hour = np.nonzero(starts)[1]  # row-major: runs of a level in hour order, paired
    end_hour = np.nonzero(ends)[1]
    online = start_hour * 3600.0
    offline = np.minimum((end_hour + 1) * 3600.0, horizon_s)
    return online, offline


def synthesize_supply(
    rng: np.random.Generator,
    tasks: pa.Table,
    dispatch_s: np.ndarray,
    dropoff_s: np.ndarray,
    params: ReplayParams,
    horizon_s: float,
) -> pa.Table:
    """The workers table for ``tasks`` (see the module docs for both methods)."""
    times = tasks.column("request_time").to_numpy()
    if params.supply == "fitted":
        curve = fitted_curve(dispatch_s, dropoff_s, horizon_s, params.supply_headroom)
        online, offline = _layer_shifts(curve, horizon_s)
        order = np.argsort(online, kind="stable")
        online, offline = online[order], offline[order]
        hour = (times // 3600).astype(np.int64)
        pick = np.empty(len(online), dtype=np.int64)
        for h in np.unique((online // 3600).astype(np.int64)):
            going = np.flatnonzero((online // 3600).astype(np.int64) == h)
            pool = np.flatnonzero(hour == h)
            pool = pool if pool.size else np.arange(len(times))
            pick[going] = pool[rng.integers(0, pool.size, size=going.size)]
    else:
        minutes = tasks.column("duration_min").to_numpy()
        n = fleet_size(
            params.n_workers, params.supply_ratio, float(minutes.sum()) / 60.0, params.shift_hours
        )
        histogram = np.bincount((times // 3600).astype(np.int64) % 24, minlength=24) + 1e-3
        online, offline = shifts(
            rng, n, params.shift_hours, tuple(histogram.tolist()), horizon_s / 3600.0
        )
        first = np.flatnonzero(times < 3600.0)
        pool = first if first.size else np.arange(len(times))
        pick = pool[rng.integers(0, pool.size, size=n)]
    n = len(online)
    jitter = params.zone_jitter_km
    start_x = tasks.column("origin_x").to_numpy()[pick] + rng.normal(0, jitter, n)
    start_y = tasks.column("origin_y").to_numpy()[pick] + rng.normal(0, jitter, n)
    wage = rng.uniform(*params.reservation_wage_per_h, size=n)
    group = groups(rng, n, params.group_labels, params.group_shares)
    return worker_table(online, offline, np.column_stack([start_x, start_y]), wage, group)
