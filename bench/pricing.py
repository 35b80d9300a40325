"""Fares and pay: the regulated tariff and the commission split.

fare = max(min_fare, base_fare + per_km * trip_km + per_min * trip_min)
worker pay = fare * (1 - commission);  platform revenue = fare * commission
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Tariff:
    """A regulated distance-and-time tariff with a minimum fare and a flat commission."""

    base_fare: float
    per_km: float
    per_min: float
    min_fare: float
    commission: float

    def fare(self, trip_km: np.ndarray, trip_min: np.ndarray) -> np.ndarray:
        """The rider's fare for each trip."""
        metered = self.base_fare + self.per_km * trip_km + self.per_min * trip_min
        return np.maximum(self.min_fare, metered)

    def split(self, fare: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(worker pay, platform revenue) of each fare."""
        revenue = fare * self.commission
        return fare - revenue, revenue
