"""Stage: the objective turns the accepted candidate pairs into integer edge weights.

The value an edge weighs is the pricing policy's :meth:`matching_value` (the rider's value, or
under equilibrium pricing the part of it that can pay the worker); the fairness objective also
reads how far each worker's pay per online hour lags the online fleet's mean.
"""

from __future__ import annotations

import numpy as np

from gigbench.market.objective import EdgeContext
from gigbench.sim.state import Batch, SimState, stage

__all__ = ["edges", "lag"]


@stage("weigh")
def edges(state: SimState, batch: Batch) -> None:
    """Fill ``batch.terms`` with the objective's terms per candidate edge."""
    cand, tasks, spec = batch.cand, state.tasks, state.spec
    task = batch.open[cand.task]
    value = spec.pricing.matching_value(batch.open)[cand.task]
    lags = (
        lag(state, batch.now, batch.idle)[cand.worker]
        if spec.objective.needs_lag()
        else np.zeros(len(cand))
    )
    ctx = EdgeContext(
        pickup_km=cand.pickup_km,
        pickup_min=batch.pickup_min,
        trip_km=tasks.km[task],
        trip_min=tasks.minutes[task],
        value=value,
        worker_cost=batch.cost,
        worker_pay=batch.pay[cand.task],
        platform_revenue=batch.revenue[cand.task],
        lag=lags,
        radius_km=state.settings.radius_km,
    )
    batch.terms = spec.objective.weigh(ctx)


def lag(state: SimState, now: float, workers: np.ndarray) -> np.ndarray:
    """How far each worker's pay per online hour lags the online fleet's mean, in [0, 1]."""
    fleet = state.fleet
    online = np.flatnonzero((fleet.online <= now) & (fleet.offline > now))
    if len(workers) == 0 or len(online) == 0:
        return np.zeros(len(workers))
    mean = fleet.hourly_so_far(now, online).mean()
    if mean <= 0:
        return np.zeros(len(workers))
    return np.clip(1.0 - fleet.hourly_so_far(now, workers) / mean, 0.0, 1.0)
