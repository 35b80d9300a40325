"""Stage: riders and workers accept or refuse.

* A rider sees the locked quote once and declines a fare above their willingness to pay
  (``declined``, gone at once).
* A worker accepts a job whose pay covers its cost,
  ``pay >= reservation_wage / 60 * (pickup_min + trip_min) + cost_per_km * (pickup_km +
  trip_km)`` (:func:`gigbench.market.costs.worker_cost`), the pay after the commission and the
  pay rule's floor; ``pickup_min`` is the market kind's time to reach the job
  (:meth:`gigbench.market.kind.MarketKind.reach_minutes`); refused pairs never enter the
  matching (``offers_refused`` is their share of the candidate pairs of each task's first round
  of offers).
"""

from __future__ import annotations

import numpy as np

from gigbench.market.costs import worker_cost
from gigbench.sim.state import Batch, SimState, stage

__all__ = ["riders", "workers"]


@stage("acceptance")
def riders(state: SimState, batch: Batch) -> None:
    """Drop the riders who find their new quote too dear; price the rest's pay."""
    log, value = state.log, state.tasks.value
    waiting = batch.open
    too_dear = batch.new & (log.quote[waiting] > value[waiting])
    if too_dear.any():
        log.mark(waiting[too_dear], "declined")
        waiting = waiting[~too_dear]
        state.open = batch.open = waiting
    batch.pay, batch.revenue = log.quoted_pay[waiting], log.quoted_revenue[waiting]


@stage("acceptance")
def workers(state: SimState, batch: Batch) -> None:
    """Keep the candidate pairs whose pay covers the worker's cost."""
    cand, tasks, fleet = batch.cand, state.tasks, state.fleet
    task, worker = batch.open[cand.task], batch.idle[cand.worker]
    pickup_min = state.kind.reach_minutes(cand.pickup_km, batch.now)
    cost = worker_cost(
        fleet.wage[worker],
        pickup_min + tasks.minutes[task],
        cand.pickup_km + tasks.km[task],
        fleet.cost_per_km[worker],
    )
    keep = batch.pay[cand.task] >= cost
    # Count each task's first round of offers only: a task waiting many batches would
    # otherwise count the same refusals again every batch.
    first = ~state.offered[task]
    state.offers["made"] += int(np.count_nonzero(first))
    state.offers["refused"] += int(np.count_nonzero(first & ~keep))
    state.offered[task] = True
    batch.cand = cand.subset(keep)
    batch.pickup_min, batch.cost = pickup_min[keep], cost[keep]
