"""What a job costs the worker: one formula, used by acceptance, objectives and the trip log.

    worker_cost = reservation_wage / 60 * (pickup_min + trip_min)
                  + cost_per_km * (pickup_km + trip_km)

The first term prices the worker's time at their reservation wage (what the hour is worth to
them); the second is the vehicle's running cost. A worker accepts a job whose pay covers it.
"""

from __future__ import annotations

import numpy as np

__all__ = ["worker_cost"]


def worker_cost(
    reservation_wage: np.ndarray,
    minutes: np.ndarray,
    km: np.ndarray,
    cost_per_km: float | np.ndarray,
) -> np.ndarray:
    """Cost in currency of jobs taking ``minutes`` (pickup plus trip) over ``km`` of road."""
    return reservation_wage / 60.0 * minutes + cost_per_km * km
