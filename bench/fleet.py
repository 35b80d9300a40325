"""Worker state as arrays: job slots, positions and running totals.

A worker of capacity c holds up to c jobs at once (a freelancer); each slot stores the time it
frees up. Ride-hailing workers have one slot and move to each drop-off.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa


class Fleet:
    """Mutable per-worker arrays for one simulation run."""

    def __init__(self, workers: pa.Table, horizon_s: float) -> None:
        def col(name: str) -> np.ndarray:
            return workers.column(name).to_numpy()

        self.ids = col("worker_id")
        self.online = col("online_time")
        self.offline = col("offline_time")
        self.wage = col("reservation_wage")
        self.skills = col("skills")
        self.capacity = col("capacity").astype(np.int64)
        self.group = np.asarray(workers.column("group").to_pylist(), dtype=object)
        self.position = np.column_stack([col("start_x"), col("start_y")])
        n = len(self.ids)
        self.slots_end = np.where(
            np.arange(max(int(self.capacity.max(initial=1)), 1)) < self.capacity[:, None],
            self.online[:, None],
            np.inf,
        )
        self.gross = np.zeros(n)
        self.commission = np.zeros(n)
        self.pay = np.zeros(n)
        self.busy_s = np.zeros(n)
        self.km = np.zeros(n)
        self.trips = np.zeros(n, dtype=np.int64)
        self.horizon_s = horizon_s

    def __len__(self) -> int:
        return len(self.ids)

    def available(self, now: float) -> tuple[np.ndarray, np.ndarray]:
        """Workers online at ``now`` with a free slot, and how many slots each has free."""
        free = np.count_nonzero(self.slots_end <= now, axis=1)
        idle = np.flatnonzero((self.online <= now) & (self.offline > now) & (free > 0))
        return idle, free[idle]

    def hourly_so_far(self, now: float, workers: np.ndarray) -> np.ndarray:
        """Pay per online hour up to ``now`` (at least a quarter hour online counted)."""
        hours = np.maximum((now - self.online[workers]) / 3600.0, 0.25)
        return self.pay[workers] / hours

    def assign(self, workers: np.ndarray, now: float, job_s: np.ndarray) -> None:
        """Occupy each worker's earliest free slot until ``now + job_s`` (repeats allowed)."""
        order = np.argsort(workers, kind="stable")
        w = workers[order]
        rank = np.arange(len(w)) - np.searchsorted(w, w)
        slots = np.argsort(self.slots_end[w], axis=1, kind="stable")[np.arange(len(w)), rank]
        self.slots_end[w, slots] = now + job_s[order]
        self.busy_s += np.bincount(workers, weights=job_s, minlength=len(self))

    def online_hours(self) -> np.ndarray:
        """Hours each worker was online within the horizon."""
        end = np.minimum(self.offline, self.horizon_s)
        return np.maximum(end - np.minimum(self.online, self.horizon_s), 0.0) / 3600.0
