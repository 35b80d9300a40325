"""Stage ``settle``: each matched pair is charged its fare, the fare is split between the
platform and the worker, the worker is credited and the trip is logged with its figures."""

from __future__ import annotations

import numpy as np
import pytest
from market_fixtures import market, task_rows, worker_rows
from sim_fixtures import accepted_batch, day_state

from gigbench.sim.match import solve
from gigbench.sim.settle import edge_positions, pay
from gigbench.sim.weigh import edges
from gigbench.solvers import get_solver


def test_edge_positions_finds_each_matched_pair_among_the_edges() -> None:
    rng = np.random.default_rng(3)
    pairs = np.array([(w, t) for w in range(6) for t in range(5)])
    pairs = pairs[rng.permutation(len(pairs))[:17]]
    chosen = rng.choice(len(pairs), 5, replace=False)
    rows, cols = pairs[chosen, 0], pairs[chosen, 1]
    found = edge_positions(pairs[:, 0], pairs[:, 1], rows, cols)
    brute = [int(np.flatnonzero((pairs[:, 0] == r) & (pairs[:, 1] == c))[0])
             for r, c in zip(rows, cols, strict=True)]  # fmt: skip
    assert found.tolist() == brute


def _settled(**plugins):
    scenario = market(task_rows(value=[40.0, 90.0], origin_x=[0.0, 4.0], distance_km=[3.0, 6.0],
                                duration_min=[10.0, 18.0]),
                      worker_rows(start_x=[0.5, 3.0]))  # fmt: skip
    state = day_state(scenario, **plugins)
    batch = accepted_batch(state, 30.0)
    edges(state, batch)
    solve(state, batch, get_solver("hungarian"))
    pay(state, batch)
    return state, batch


def test_the_worker_is_paid_the_locked_fare_less_the_platform_cut() -> None:
    state, batch = _settled()
    log, fleet, values = state.log, state.fleet, state.log.values
    assert log.served.tolist() == [True, True]
    assert log.worker.tolist() == [0, 1]  # each task's nearest worker
    fare = log.quote  # tariff pricing charges the quote it locked
    assert values["fare"].tolist() == fare.tolist()
    assert values["worker_pay"] == pytest.approx(0.8 * fare)
    assert values["commission"] + values["fee"] + values["worker_pay"] == pytest.approx(fare)
    assert fleet.gross.tolist() == fare.tolist()
    assert fleet.pay == pytest.approx(values["worker_pay"])
    assert fleet.trips.tolist() == [1, 1]
    assert values["welfare"] == pytest.approx(np.array([40.0, 90.0]) - values["worker_cost"])
    assert values["pickup_km"].tolist() == [0.5, 1.0]
    assert values["matched_at"].tolist() == [30.0, 30.0]
    assert values["worker_cost"].tolist() == batch.cost[batch.matched_edge].tolist()


def test_a_pay_floor_tops_the_worker_up_from_the_platform_share() -> None:
    floor = {"name": "commission_cap", "cap": 0.1}
    state, _ = _settled(pay_rule=floor)
    values = state.log.values
    assert values["worker_pay"] == pytest.approx(0.9 * values["fare"])
    assert state.fleet.pay == pytest.approx(values["worker_pay"])
