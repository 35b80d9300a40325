"""Stage: requests arrive, and riders whose patience ran out leave (``abandoned``)."""

from __future__ import annotations

import numpy as np

from gigbench.sim.state import Batch, SimState, stage

__all__ = ["admit"]


@stage("arrivals")
def admit(state: SimState, batch: Batch) -> None:
    """Open the tasks requested since the last batch; drop the open ones out of patience."""
    tasks = state.tasks
    upto = int(np.searchsorted(tasks.request, batch.now, side="right"))
    batch.arrived = np.arange(state.next_task, upto, dtype=np.int64)
    state.next_task = upto
    waiting = np.concatenate([state.open, batch.arrived]) if len(batch.arrived) else state.open
    if len(waiting):
        expired = batch.now - tasks.request[waiting] > tasks.patience[waiting]
        if expired.any():
            state.log.mark(waiting[expired], "abandoned")
            waiting = waiting[~expired]
    state.open = waiting
