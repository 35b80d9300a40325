"""Worker state as arrays: shifts, job slots, positions, moves and running totals.

A worker of capacity c holds up to c jobs at once (a freelancer); each slot stores the time it
frees up. Ride-hailing workers have one slot and move to each drop-off. A worker available at
``now`` is online (``online <= now < offline``) with a free slot; a job that runs past the end
of the shift is finished, and the shift lasts until its drop-off, so busy time never exceeds
online time. Everything is clipped to the horizon.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from gigbench.market.supply import Shifts

__all__ = ["Fleet"]


class Fleet:
    """Mutable per-worker arrays for one simulation run (all its days: the running totals and
    ``hours`` add up day after day)."""

    # Running totals per worker over the run (the day table takes each day's difference).
    TOTALS = ("gross", "commission", "pay", "busy_s", "ride_s", "km", "cruise_km", "trips")

    def __init__(self, workers: pa.Table, horizon_s: float) -> None:
        def col(name: str) -> np.ndarray:
            return workers.column(name).to_numpy()

        self.ids = col("worker_id")
        self.wage = col("reservation_wage").astype(np.float64)
        self.skills = col("skills")
        self.capacity = col("capacity").astype(np.int64)
        self.group = np.asarray(workers.column("group").to_pylist(), dtype=object)
        self.vehicle = np.asarray(workers.column("vehicle").to_pylist(), dtype=object)
        self.planned_online = col("online_time").astype(np.float64)
        self.planned_offline = col("offline_time").astype(np.float64)
        self.start_xy = np.column_stack([col("start_x"), col("start_y")]).astype(np.float64)
        self.horizon_s = horizon_s
        n = len(self.ids)
        for name in self.TOTALS:
            setattr(self, name, np.zeros(n, dtype=np.int64 if name == "trips" else np.float64))
        self.hours = np.zeros(n)  # online hours of the days already closed
        self.days = np.zeros(n, dtype=np.int64)  # closed days with some online time
        self.start_day(self.planned_online, self.planned_offline)

    def __len__(self) -> int:
        return len(self.ids)

    def price_vehicles(self, per_km: dict[str, float], per_online_h: dict[str, float]) -> None:
        """Each worker's running cost per km and fixed cost per online hour, from its vehicle
        type (0 for an unlisted type)."""
        kinds, index = np.unique(self.vehicle.astype(str), return_inverse=True)
        self.cost_per_km = np.array([per_km.get(k, 0.0) for k in kinds])[index.ravel()]
        self.cost_per_online_h = np.array([per_online_h.get(k, 0.0) for k in kinds])[index.ravel()]

    def planned_shifts(self) -> Shifts:
        """The scenario's shifts."""
        return Shifts(self.planned_online, self.planned_offline)

    def start_day(self, online: np.ndarray, offline: np.ndarray) -> None:
        """Today's shifts; everyone starts at their start point with free slots."""
        self.online, self.offline = online, offline
        self.position = self.start_xy.copy()
        self.target = np.full_like(self.position, np.nan)
        self.moving = np.zeros(len(self), dtype=bool)
        self.idle_since = online.copy()
        self.last_end = online.copy()
        width = max(int(self.capacity.max(initial=1)), 1)
        self.slots_end = np.where(
            np.arange(width) < self.capacity[:, None], online[:, None], np.inf
        )

    def close_day(self) -> None:
        """Add today's online hours to the closed days' and take everyone off the road (the
        next :meth:`start_day` puts the next day's shifts on)."""
        self.days = self.days_online()
        self.hours = self.online_hours()
        none = np.zeros(len(self))
        self.start_day(none, none)

    def available(self, now: float) -> tuple[np.ndarray, np.ndarray]:
        """Workers online at ``now`` with a free slot, and how many slots each has free."""
        if self.slots_end.shape[1] == 1:  # ride-hailing: one test per worker, no gathers
            idle = np.flatnonzero(
                (self.online <= now) & (self.offline > now) & (self.slots_end[:, 0] <= now)
            )
            return idle, np.ones(len(idle), dtype=np.int64)
        on = np.flatnonzero((self.online <= now) & (self.offline > now))
        free = np.count_nonzero(self.slots_end[on] <= now, axis=1)
        return on[free > 0], free[free > 0]

    def assign(self, workers: np.ndarray, now: float, pickup_s: np.ndarray, trip_s: np.ndarray):
        """Occupy each worker's earliest free slot until ``now + pickup_s + trip_s``."""
        job_s = pickup_s + trip_s
        end = np.minimum(now + job_s, self.horizon_s)
        ride = end - np.minimum(now + pickup_s, self.horizon_s)
        if self.slots_end.shape[1] == 1:  # one job at a time: each worker appears once
            self.slots_end[workers, 0] = now + job_s
            self.busy_s[workers] += end - now
            self.ride_s[workers] += ride
            self.last_end[workers] = np.maximum(self.last_end[workers], now + job_s)
        else:
            order = np.argsort(workers, kind="stable")
            w = workers[order]
            rank = np.arange(len(w)) - np.searchsorted(w, w)  # a freelancer's 2nd job, ...
            slots = np.argsort(self.slots_end[w], axis=1, kind="stable")[np.arange(len(w)), rank]
            self.slots_end[w, slots] = now + job_s[order]
            np.add.at(self.busy_s, workers, end - now)
            np.add.at(self.ride_s, workers, ride)
            np.maximum.at(self.last_end, workers, now + job_s)
        self.moving[workers] = False
        self.target[workers] = np.nan

    def credit(self, workers: np.ndarray, **amounts: np.ndarray) -> None:
        """Add each amount to the named running total of its worker (repeats allowed)."""
        unique = self.slots_end.shape[1] == 1  # one job per worker per batch
        for name, values in amounts.items():
            total = getattr(self, name)
            if unique:
                total[workers] += values
            else:
                np.add.at(total, workers, values)

    def online_hours(self) -> np.ndarray:
        """Hours each worker was online within the horizon: the days closed so far plus today,
        whose shift lasts until its last drop-off."""
        end = np.minimum(np.maximum(self.offline, self.last_end), self.horizon_s)
        start = np.minimum(self.online, self.horizon_s)
        return self.hours + np.maximum(end - start, 0.0) / 3600.0

    def days_online(self) -> np.ndarray:
        """Days each worker has been online so far, today included if they are."""
        return self.days + (self.online_hours() > self.hours)

    def hourly_so_far(self, now: float, workers: np.ndarray) -> np.ndarray:
        """Pay per online hour up to ``now`` (at least a quarter hour online counted)."""
        hours = self.hours[workers] + np.maximum((now - self.online[workers]) / 3600.0, 0.0)
        return self.pay[workers] / np.maximum(hours, 0.25)
