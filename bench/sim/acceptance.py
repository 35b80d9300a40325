"""Stage: riders and workers accept or refuse.

* A rider sees the locked quote once and declines a fare above their willingness to pay
  (``declined``, gone at once).
* A worker accepts a job whose pay covers its cost,
  ``pay >= reservation_wage / 60 * (pickup_min + trip_min) + cost_per_km * (pickup_km +
  trip_km)`` (:func:`bench.market.costs.worker_cost`); refused pairs never enter the matching
  (``offers_refused`` is their share of all candidate pairs).
"""

from __future__ import annotations

import numpy as np

from bench.market.costs import worker_cost
from bench.sim.state import Batch, SimState, stage

__all__ = ["riders", "workers"]


@stage("acceptance")
def riders(state: SimState, batch: Batch) -> None:
    """Drop the riders who find their new quote too dear; price the rest's pay."""
    log, value = state.log, state.tasks.value
    waiting = batch.open
    # Arrivals are appended in id order, so this batch's new tasks have the highest ids.
    new = waiting >= (batch.arrived[0] if len(batch.arrived) else len(value))
    too_dear = new & (log.quote[waiting] > value[waiting])
    if too_dear.any():
        log.mark(waiting[too_dear], "declined")
        waiting = waiting[~too_dear]
        state.open = batch.open = waiting
    money = state.spec.pricing.commission.split(log.quote[waiting])
    batch.pay = money["worker_pay"]
    batch.revenue = money["commission"] + money["fee"]


@stage("acceptance")
def workers(state: SimState, batch: Batch) -> None:
    """Keep the candidate pairs whose pay covers the worker's cost."""
    cand, tasks, fleet = batch.cand, state.tasks, state.fleet
    task = batch.open[cand.task]
    pickup_min = cand.pickup_km / state.speed_kmh(batch.now) * 60.0
    cost = worker_cost(
        fleet.wage[batch.idle[cand.worker]],
        pickup_min + tasks.minutes[task],
        cand.pickup_km + tasks.km[task],
        state.settings.cost_per_km,
    )
    keep = batch.pay[cand.task] >= cost
    state.offers["made"] += len(keep)
    state.offers["refused"] += int(len(keep) - np.count_nonzero(keep))
    batch.cand = cand.subset(keep)
    batch.pickup_min, batch.cost = pickup_min[keep], cost[keep]
