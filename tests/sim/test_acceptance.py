"""Stage ``acceptance``: a rider declines a first quote above their willingness to pay; a
worker refuses a job whose pay does not cover its cost (reservation wage over the minutes to
reach and do it, plus the running cost of its kilometres)."""

from __future__ import annotations

import numpy as np
import pytest
from market_fixtures import market, task_rows, worker_rows
from sim_fixtures import accepted_batch, day_state, open_batch

from gigbench.instances import TARIFFS
from gigbench.sim.acceptance import workers
from gigbench.sim.candidates import find
from gigbench.sim.triplog import OUTCOMES

FARE = TARIFFS["nyc_meter"].fare(np.array([3.0]), np.array([10.0]), np.zeros(1))[0]  # 12.025


def test_riders_decline_a_quote_above_their_value_once() -> None:
    value = [FARE - 0.01, FARE, 100.0]
    state = day_state(market(task_rows(value=value), worker_rows(start_x=[0.0])))
    batch = open_batch(state, 30.0)
    assert batch.open.tolist() == state.open.tolist() == [1, 2]  # a fare equal to value is paid
    assert state.log.outcome[0] == OUTCOMES.index("declined")
    assert batch.pay.tolist() == state.log.quoted_pay[[1, 2]].tolist()


def test_a_worker_refuses_a_job_that_pays_less_than_it_costs() -> None:
    # One task at the origin (3 km, 10 min; the worker's pay is 80% of the fare, 9.62); three
    # workers 1.5 km away (3 min at 30 km/h), each with another reservation wage.
    wage = np.array([10.0, 80.0, 200.0])  # per hour
    state = day_state(market(task_rows(value=[100.0]),
                             worker_rows(start_x=[1.5] * 3, reservation_wage=wage)))  # fmt: skip
    batch = open_batch(state, 30.0)
    find(state, batch)
    assert len(batch.cand) == 3
    workers(state, batch)
    cost = wage / 60.0 * (3.0 + 10.0) + 0.2 * (1.5 + 3.0)  # 3.07, 18.23, 44.23
    pay = 0.8 * FARE
    kept = np.flatnonzero(pay >= cost)
    assert kept.tolist() == [0]
    assert batch.idle[batch.cand.worker].tolist() == kept.tolist()
    assert batch.cost == pytest.approx(cost[kept])
    assert batch.pickup_min == pytest.approx([3.0])
    assert state.offers == {"made": 3, "refused": 2}


def test_a_task_counts_its_refusals_in_its_first_round_of_offers_only() -> None:
    state = day_state(market(task_rows(value=[100.0], patience_s=[3600.0]),
                             worker_rows(start_x=[1.5], reservation_wage=[500.0])))  # fmt: skip
    for number, now in enumerate([30.0, 60.0, 90.0]):
        batch = accepted_batch(state, now, number)
        assert len(batch.cand) == 0
    assert state.offers == {"made": 1, "refused": 1}
