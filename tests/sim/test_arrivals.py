"""Stage ``arrivals``: a batch opens the tasks requested since the last one and drops the open
tasks whose rider has waited longer than their patience."""

from __future__ import annotations

import numpy as np
from market_fixtures import market, task_rows, worker_rows
from sim_fixtures import day_state

from gigbench.sim.arrivals import admit
from gigbench.sim.state import Batch
from gigbench.sim.triplog import OUTCOMES


def test_a_batch_opens_what_arrived_since_the_last_one() -> None:
    requested = [0.0, 10.0, 30.0, 31.0, 95.0]
    state = day_state(market(task_rows(request_time=requested, patience_s=[3600.0] * 5),
                             worker_rows(start_x=[0.0])))  # fmt: skip
    arrived = []
    for number, now in enumerate([30.0, 60.0, 90.0, 120.0]):
        batch = Batch(number, now)
        admit(state, batch)
        arrived.append(batch.arrived.tolist())
    # A request at exactly a batch's time is in that batch; each task arrives once.
    assert arrived == [[0, 1, 2], [3], [], [4]]
    assert state.open.tolist() == [0, 1, 2, 3, 4]


def test_riders_out_of_patience_leave_and_are_logged_abandoned() -> None:
    rng = np.random.default_rng(7)
    request = np.sort(rng.uniform(0.0, 600.0, 40))
    patience = rng.uniform(0.0, 300.0, 40)
    patience[:3] = 600.0 - request[:3]  # waited exactly their patience at 600 s: they stay
    state = day_state(market(task_rows(request_time=request, patience_s=patience),
                             worker_rows(start_x=[0.0])))  # fmt: skip
    for number, now in enumerate(np.arange(30.0, 630.0, 30.0)):
        admit(state, Batch(number, float(now)))
    # Nobody is matched here, so at 600 s the open tasks are those still within patience.
    waited = 600.0 - request
    assert state.open.tolist() == np.flatnonzero(waited <= patience).tolist()
    abandoned = state.log.outcome == OUTCOMES.index("abandoned")
    assert abandoned.tolist() == (waited > patience).tolist()
