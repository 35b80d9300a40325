"""Stage: matched workers are busy for pickup plus trip and reappear at the drop-off
(ride-hailing); served tasks leave the open list."""

from __future__ import annotations

import numpy as np

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
    single = fleet.capacity[worker] == 1
    fleet.position[worker[single]] = tasks.dest[task[single]]
    fleet.idle_since[worker] = batch.now + pickup_s + trip_s
    remaining = np.ones(len(batch.open), dtype=bool)
    remaining[sol.col_ind] = False
    state.open = batch.open[remaining]
