"""Objectives turn a batch's candidate edges into integer edge weights (maximised).

Weights are integers (cents, or metres) so exact solvers prove optimality exactly. Each
objective returns its named terms too; the trip log records the terms of every winning edge.

* ``welfare``: ``round(100 * (value - worker_cost))``, where worker_cost =
  reservation_wage / 60 * (pickup_min + trip_min) + cost_per_km * (pickup_km + trip_km).
* ``pickup``: ``2 * radius_m - pickup_m``: every match is worth more than the pickup it costs,
  so the matching serves many tasks with short pickups (classic dispatch).
* ``revenue``: ``round(100 * platform_revenue)`` of the task's fare; ties broken by pickup.
* ``fair``: welfare plus ``lambda`` times a bonus for workers whose earnings per online hour
  lag the fleet (amortised fairness, Suhr et al., KDD 2019):
  bonus_ij = round(100 * worker_pay_j * lag_i), lag_i = max(0, 1 - e_i / mean(e)) with e the
  earnings per online hour so far; lambda = 0 is welfare.
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
    worker_pay: np.ndarray | None = None
    platform_revenue: np.ndarray | None = None
    lag: np.ndarray | None = None

    def worker_cost(self) -> np.ndarray:
        """What serving the task costs the worker, in currency units."""
        minutes = self.pickup_min + self.trip_min
        return self.reservation_wage / 60.0 * minutes + self.cost_per_km * (
            self.pickup_km + self.trip_km
        )


Terms = dict[str, np.ndarray]


def _cents(values: np.ndarray) -> np.ndarray:
    return np.round(100.0 * values).astype(np.int64)


def welfare(ctx: EdgeContext, lam: float = 0.0) -> Terms:
    """Surplus in cents: rider value minus worker cost."""
    return {"welfare": _cents(ctx.value - ctx.worker_cost())}


def pickup(ctx: EdgeContext, lam: float = 0.0) -> Terms:
    """Metres saved against twice the search radius: short pickups, many matches."""
    radius_m = 1000.0 * ctx.radius_km
    return {"pickup": np.round(2.0 * radius_m - 1000.0 * ctx.pickup_km).astype(np.int64)}


def revenue(ctx: EdgeContext, lam: float = 0.0) -> Terms:
    """Platform revenue in cents (x 1000), shorter pickups breaking ties."""
    if ctx.platform_revenue is None:
        raise ValueError("objective 'revenue' needs fares quoted before matching")
    tie_break = np.clip(1000 - np.round(1000 * ctx.pickup_km / (2 * ctx.radius_km)), 1, 1000)
    return {"revenue": 1000 * _cents(ctx.platform_revenue) + tie_break.astype(np.int64)}


def fair(ctx: EdgeContext, lam: float = 0.0) -> Terms:
    """Welfare plus lambda times a pay bonus for workers who lag the fleet's hourly earnings."""
    terms = welfare(ctx)
    if ctx.lag is None or ctx.worker_pay is None:
        raise ValueError("objective 'fair' needs worker lags and quoted pay")
    terms["fairness_bonus"] = np.round(lam * 100.0 * ctx.worker_pay * ctx.lag).astype(np.int64)
    return terms


OBJECTIVES: dict[str, Callable[..., Terms]] = {
    "welfare": welfare,
    "pickup": pickup,
    "revenue": revenue,
    "fair": fair,
}


def get_objective(name: str) -> Callable[..., Terms]:
    """The objective called ``name``; an unknown name lists the valid ones."""
    if name not in OBJECTIVES:
        raise ValueError(
            f"unknown objective {name!r}; valid objectives are: {', '.join(OBJECTIVES)}"
        )
    return OBJECTIVES[name]


def total(terms: Terms) -> np.ndarray:
    """The edge weight: the sum of an objective's terms."""
    return np.sum(list(terms.values()), axis=0).astype(np.int64)
