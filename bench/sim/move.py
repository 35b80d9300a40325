"""Stage: matched workers are busy for the time to reach the job plus the job itself, and are
where the market kind puts them when it is done (ride-hailing: the drop-off;
:meth:`gigbench.market.kind.MarketKind.end_positions`); served tasks leave the open list."""

from __future__ import annotations

import numpy as np

from gigbench.market.kind import MoveView
from gigbench.sim.state import Batch, SimState, stage

__all__ = ["dispatch"]


@stage("move")
def dispatch(state: SimState, batch: Batch) -> None:
    """Occupy the matched workers and close the served tasks."""
    sol, fleet, tasks = batch.solution, state.fleet, state.tasks
    worker, task = batch.idle[sol.row_ind], batch.open[sol.col_ind]
    edge = batch.matched_edge
    pickup_s = 60.0 * batch.pickup_min[edge]
    trip_s = 60.0 * tasks.minutes[task]
    fleet.assign(worker, batch.now, pickup_s, trip_s)
    fleet.credit(worker, km=batch.cand.pickup_km[edge] + tasks.km[task])
    fleet.position[worker] = state.kind.end_positions(
        MoveView(batch.now, task, fleet.position[worker])
    )
    fleet.idle_since[worker] = batch.now + pickup_s + trip_s
    remaining = np.ones(len(batch.open), dtype=bool)
    remaining[sol.col_ind] = False
    state.open = batch.open[remaining]
