"""The synthetic fleet of a replay (no public trip file carries a driver id).

``supply=fitted`` (the default) sizes and places the fleet so the recorded trips can be
served. Each recorded trip occupies one vehicle from its dispatch to its drop-off: dispatch
is the recorded request time where the file has one (high-volume FHV), else
``approach_min`` before the pick-up. Trips are grouped by the ``supply_cell_km`` grid cell of
their origin; with ``busy(c, h)`` the most vehicles occupied at once, in any minute of hour
``h``, by trips from cell ``c``, the fleet online in cell ``c`` in hour ``h`` is
``ceil(supply_headroom * busy(c, h))`` (the headroom pays for the empty drive to each
pick-up, which the recorded vehicles did between trips). Each cell's staffing curve is cut
into shifts layer by layer (a worker per maximal run of hours in which the curve reaches its
level), so exactly that many workers come online there. A worker going online in hour ``h``
starts at the pick-up point of a trip of its cell requested in that hour (seeded choice,
fresh zone jitter). Fitting cell by cell, rather than the city's total, puts supply where
each trip starts: a sparse sample (one trip in 2,000) still gets a worker near each trip.

``supply=ratio`` is the preset model (:func:`gigbench.instances._tables.shifts`): ``n_workers``
shifts,
or ``round(supply_ratio * trip hours / expected online hours of a shift)``, planned to follow
the requests' hour-of-day histogram; start positions at pick-up points of the first hour's
trips.

Both draw reservation wages ``U(reservation_wage_per_h)`` and groups by ``group_shares``.
"""

from __future__ import annotations

import math

import numpy as np
import pyarrow as pa

from gigbench.instances._tables import fleet_size, groups, shifts, worker_table
from gigbench.instances.tlc.params import ReplayParams

__all__ = ["fitted_curve", "synthesize_supply"]


def fitted_curve(
    dispatch_s: np.ndarray,
    dropoff_s: np.ndarray,
    horizon_s: float,
    headroom: float,
    cell: np.ndarray | None = None,
) -> np.ndarray:
    """Workers to have online per (cell, hour): ``ceil(headroom * busy)`` (module docs).

    ``cell`` numbers each trip's origin cell from 0 (None: one cell); the result has one row
    per cell and one column per hour of the horizon.
    """
    minutes = max(1, math.ceil(horizon_s / 60.0))
    hours = math.ceil(minutes / 60)
    cell = np.zeros(len(dispatch_s), dtype=np.int64) if cell is None else cell
    n_cells = int(cell.max()) + 1 if len(cell) else 1
    start = np.clip(np.floor(dispatch_s / 60.0).astype(np.int64), 0, minutes - 1)
    end = np.clip(np.ceil(dropoff_s / 60.0).astype(np.int64), 0, minutes)
    end = np.maximum(end, start + 1)
    diff = np.zeros((n_cells, hours * 60 + 1), dtype=np.int64)
    np.add.at(diff, (cell, start), 1)
    np.add.at(diff, (cell, end), -1)
    busy = np.cumsum(diff[:, :-1], axis=1)
    peak = busy.reshape(n_cells, hours, 60).max(axis=2)
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


def _cells(tasks: pa.Table, cell_km: float) -> np.ndarray:
    """Each trip's origin cell on a ``cell_km`` grid, numbered 0.. over the cells in use."""
    x = np.floor(tasks.column("origin_x").to_numpy() / cell_km).astype(np.int64)
    y = np.floor(tasks.column("origin_y").to_numpy() / cell_km).astype(np.int64)
    key = (x - x.min()) * (int(np.ptp(y)) + 1) + (y - y.min())
    return np.unique(key, return_inverse=True)[1].ravel()


def _fitted(rng, tasks, dispatch_s, dropoff_s, params, horizon_s):
    """(online, offline, start trip) of the fitted fleet: cell by cell (module docs)."""
    cell = _cells(tasks, params.supply_cell_km)
    curves = fitted_curve(dispatch_s, dropoff_s, horizon_s, params.supply_headroom, cell)
    n_hours = curves.shape[1]
    shifts_of = [_layer_shifts(curve, horizon_s) for curve in curves]
    online = np.concatenate([on for on, _ in shifts_of])
    offline = np.concatenate([off for _, off in shifts_of])
    worker_cell = np.repeat(np.arange(len(curves)), [len(on) for on, _ in shifts_of])
    # Each worker starts at a trip of its cell requested in its first hour (else of its cell):
    # trips sorted by (cell, hour), each worker's pool is a slice of them.
    hour = np.minimum(tasks.column("request_time").to_numpy() // 3600, n_hours - 1)
    trip_key = cell * n_hours + hour.astype(np.int64)
    order = np.argsort(trip_key, kind="stable")
    keys = trip_key[order]
    want = worker_cell * n_hours + (online // 3600).astype(np.int64)
    lo, hi = np.searchsorted(keys, want, "left"), np.searchsorted(keys, want, "right")
    empty = lo == hi
    lo[empty] = np.searchsorted(keys, worker_cell[empty] * n_hours, "left")
    hi[empty] = np.searchsorted(keys, (worker_cell[empty] + 1) * n_hours, "left")
    pick = order[lo + (rng.random(len(lo)) * (hi - lo)).astype(np.int64)]
    by_time = np.argsort(online, kind="stable")
    return online[by_time], offline[by_time], pick[by_time]


def _ratio(rng, tasks, dispatch_s, dropoff_s, params, horizon_s):
    """(online, offline, start trip) of the preset model's fleet (module docs)."""
    times = tasks.column("request_time").to_numpy()
    minutes = tasks.column("duration_min").to_numpy()
    histogram = np.bincount((times // 3600).astype(np.int64) % 24, minlength=24) + 1e-3
    profile, horizon_h = tuple(histogram.tolist()), horizon_s / 3600.0
    work_h = float(minutes.sum()) / 60.0
    n = fleet_size(
        params.n_workers, params.supply_ratio, work_h, params.shift_hours, profile, horizon_h
    )
    online, offline = shifts(rng, n, params.shift_hours, profile, horizon_h)
    first = np.flatnonzero(times < 3600.0)
    pool = first if first.size else np.arange(len(times))
    return online, offline, pool[rng.integers(0, pool.size, size=n)]


_METHODS = {"fitted": _fitted, "ratio": _ratio}


def synthesize_supply(
    rng: np.random.Generator,
    tasks: pa.Table,
    dispatch_s: np.ndarray,
    dropoff_s: np.ndarray,
    params: ReplayParams,
    horizon_s: float,
) -> pa.Table:
    """The workers table for ``tasks`` (see the module docs for both methods)."""
    method = _METHODS[params.supply]
    online, offline, pick = method(rng, tasks, dispatch_s, dropoff_s, params, horizon_s)
    n = len(online)
    jitter = params.zone_jitter_km
    start_x = tasks.column("origin_x").to_numpy()[pick] + rng.normal(0, jitter, n)
    start_y = tasks.column("origin_y").to_numpy()[pick] + rng.normal(0, jitter, n)
    wage = rng.uniform(*params.reservation_wage_per_h, size=n)
    group = groups(rng, n, params.group_labels, params.group_shares)
    return worker_table(online, offline, np.column_stack([start_x, start_y]), wage, group)
