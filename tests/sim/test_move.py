"""Stage ``move``: a matched worker is busy for the time to reach the job plus the job, ends
where the market kind puts them (ride-hailing: the drop-off; freelance: where they were), and
served tasks leave the open list."""

from __future__ import annotations

import numpy as np
import pytest
from market_fixtures import market, task_rows, worker_rows
from sim_fixtures import accepted_batch, day_state

from gigbench.sim.match import solve
from gigbench.sim.move import dispatch
from gigbench.sim.settle import pay
from gigbench.sim.weigh import edges
from gigbench.solvers import get_solver


def _moved(scenario):
    state = day_state(scenario)
    batch = accepted_batch(state, 30.0)
    edges(state, batch)
    solve(state, batch, get_solver("hungarian"))
    pay(state, batch)
    before = state.fleet.position.copy()
    dispatch(state, batch)
    return state, before


def test_a_driver_is_busy_until_the_drop_off_and_waits_there() -> None:
    # Two requests, one driver 1.5 km away (3 min at 30 km/h): the richer one is served.
    scenario = market(
        task_rows(value=[30.0, 90.0], dest_x=[3.0, 7.0], dest_y=[0.0, 4.0], distance_km=[3, 8],
                  duration_min=[10.0, 20.0], patience_s=[3600.0, 3600.0]),
        worker_rows(start_x=[1.5]),
    )  # fmt: skip
    state, _ = _moved(scenario)
    fleet = state.fleet
    assert state.open.tolist() == [0]  # the other request still waits
    assert fleet.position[0].tolist() == [7.0, 4.0]
    done = 30.0 + 60.0 * (3.0 + 20.0)
    assert fleet.slots_end[0, 0] == pytest.approx(done)
    assert fleet.idle_since[0] == pytest.approx(done)
    assert fleet.km[0] == pytest.approx(1.5 + 8.0)
    assert fleet.available(done - 1.0)[0].tolist() == []
    assert fleet.available(done)[0].tolist() == [0]


def test_a_freelancer_stays_put_and_takes_as_many_jobs_as_free_slots() -> None:
    scenario = market(
        task_rows(skill=[1, 1, 1], duration_min=[30.0, 60.0, 90.0], patience_s=[3600.0] * 3),
        worker_rows(start_x=[2.0], capacity=[2], skills=[0b10]),
        city=False,
    )
    state, before = _moved(scenario)
    fleet = state.fleet
    assert len(state.open) == 1
    assert fleet.position.tolist() == before.tolist()
    served = np.setdiff1d(np.arange(3), state.open)
    durations = np.array([30.0, 60.0, 90.0])[served]
    # No time to reach a job: each slot is busy for its job's duration.
    assert np.sort(fleet.slots_end[0]) == pytest.approx(30.0 + 60.0 * durations)
