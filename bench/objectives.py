"""Objectives turn a batch's candidate edges into integer edge weights (maximised).

Weights are integers so exact solvers prove optimality exactly:

* ``welfare``: cents of surplus, ``round(100 * (value - worker_cost))`` with
  worker_cost = reservation_wage / 60 * (pickup_min + trip_min) + cost_per_km * (pickup_km +
  trip_km). An edge with no surplus is never worth matching.
* ``pickup``: metres, ``2 * radius_m - pickup_m``: every match is worth more than the pickup it
  costs, so the matching serves many tasks with short pickups (classic dispatch).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class EdgeContext:
    """Per-edge figures an objective may weigh (arrays aligned with the candidate edges)."""

    pickup_km: np.ndarray
    pickup_min: np.ndarray
    trip_km: np.ndarray
    trip_min: np.ndarray
    value: np.ndarray
    reservation_wage: np.ndarray
    cost_per_km: float
    radius_km: float

    def worker_cost(self) -> np.ndarray:
        """What serving the task costs the worker, in currency units."""
        minutes = self.pickup_min + self.trip_min
        return self.reservation_wage / 60.0 * minutes + self.cost_per_km * (
            self.pickup_km + self.trip_km
        )


def welfare(ctx: EdgeContext) -> np.ndarray:
    """Surplus in cents: rider value minus worker cost."""
    return np.round(100.0 * (ctx.value - ctx.worker_cost())).astype(np.int64)


def pickup(ctx: EdgeContext) -> np.ndarray:
    """Metres saved against twice the search radius: short pickups, many matches."""
    radius_m = 1000.0 * ctx.radius_km
    return np.round(2.0 * radius_m - 1000.0 * ctx.pickup_km).astype(np.int64)


OBJECTIVES: dict[str, Callable[[EdgeContext], np.ndarray]] = {
    "welfare": welfare,
    "pickup": pickup,
}


def get_objective(name: str) -> Callable[[EdgeContext], np.ndarray]:
    """The objective called ``name``; an unknown name lists the valid ones."""
    if name not in OBJECTIVES:
        raise ValueError(
            f"unknown objective {name!r}; valid objectives are: {', '.join(OBJECTIVES)}"
        )
    return OBJECTIVES[name]
