"""Stage ``weigh``: the objective's terms for each accepted candidate pair, in integer cents,
and how far each worker's pay per online hour lags the online fleet's mean."""

from __future__ import annotations

import numpy as np
import pytest
from market_fixtures import market, task_rows, worker_rows
from sim_fixtures import accepted_batch, day_state

from gigbench.instances import TARIFFS
from gigbench.sim.weigh import edges, lag

PAY = 0.8 * TARIFFS["nyc_meter"].fare(np.array([3.0]), np.array([10.0]), np.zeros(1))[0]


def _two_tasks_two_workers(**plugins):
    scenario = market(task_rows(value=[40.0, 90.0], origin_x=[0.0, 2.0]),
                      worker_rows(start_x=[0.5, 1.0], offline_time=[7200.0, 7200.0]))  # fmt: skip
    state = day_state(scenario, **plugins)
    return state, accepted_batch(state, 30.0)


def test_welfare_weighs_each_pair_by_value_less_the_worker_cost_in_cents() -> None:
    state, batch = _two_tasks_two_workers()
    assert len(batch.cand) == 4
    edges(state, batch)
    value = np.array([40.0, 90.0])[batch.open[batch.cand.task]]
    assert list(batch.terms) == ["welfare"]
    assert batch.terms["welfare"].tolist() == np.round(100 * (value - batch.cost)).tolist()


def test_the_fairness_bonus_is_lambda_times_pay_times_lag() -> None:
    state, batch = _two_tasks_two_workers(objective={"name": "fair", "lambda": 2.0})
    fleet = state.fleet
    fleet.pay[:] = [0.0, 30.0]  # after an hour online: 0 and 30 an hour, the mean 15
    batch.now = 3600.0
    edges(state, batch)
    lags = np.array([1.0, 0.0])[batch.idle[batch.cand.worker]]
    assert batch.terms["fairness_bonus"] == pytest.approx(np.round(2.0 * 100 * PAY * lags))
    assert batch.terms["fairness_bonus"].max() > 0


def test_lag_is_the_shortfall_from_the_online_mean_within_0_and_1() -> None:
    scenario = market(task_rows(value=[1.0]),
                      worker_rows(start_x=[0.0] * 4, online_time=[0.0, 0.0, 0.0, 1800.0],
                                  offline_time=[7200.0, 7200.0, 7200.0, 7200.0]))  # fmt: skip
    state = day_state(scenario)
    state.fleet.pay[:] = [10.0, 20.0, 60.0, 0.0]
    # At 3600 s: hourly pay 10, 20, 60 and (half an hour online) 0; the mean 22.5.
    hourly = np.array([10.0, 20.0, 60.0, 0.0])
    expected = np.clip(1 - hourly / hourly.mean(), 0.0, 1.0)
    assert lag(state, 3600.0, np.arange(4)) == pytest.approx(expected)
    # Before anyone has been paid there is no mean to lag behind.
    state.fleet.pay[:] = 0.0
    assert lag(state, 3600.0, np.arange(4)).tolist() == [0.0] * 4
