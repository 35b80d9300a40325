"""Stage ``quote``: every open task is quoted; a task's first quote is locked (upfront pricing)
and fixes the worker's pay and the platform's share at that fare."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from market_fixtures import market, task_rows, worker_rows
from sim_fixtures import day_state

from gigbench.instances import TARIFFS, Scenario, Tariff
from gigbench.sim.arrivals import admit
from gigbench.sim.quote import offer
from gigbench.sim.state import Batch
from gigbench.sim.supply import online

METER = TARIFFS["nyc_meter"]  # the hand-built markets' tariff: 3 + 2.175/km + 0.35/min, 20%


def _batches(state, times):
    for number, now in enumerate(times):
        batch = Batch(number, now)
        admit(state, batch)
        online(state, batch)
        offer(state, batch)
        yield batch


def test_a_task_is_charged_the_scenario_tariff_and_its_pay_is_the_fare_less_the_cut() -> None:
    own = Tariff(base_fare=2.0, per_km=1.0, per_km_max=1.0, per_min=0.5, min_fare=5.0,
                 min_fare_max=5.0, commission=0.25, fee=0.05)  # fmt: skip
    km, minutes = np.array([0.5, 3.0, 12.0]), np.array([2.0, 10.0, 35.0])
    plain = market(task_rows(distance_km=km, duration_min=minutes), worker_rows(start_x=[0.0]))
    info = dataclasses.replace(plain.info, tariff=own)
    state = day_state(Scenario(plain.tasks, plain.workers, info))
    next(_batches(state, [30.0]))
    # 2 + 0.5 + 1 = 3.5 is under the minimum of 5; 2 + 3 + 5 = 10; 2 + 12 + 17.5 = 31.5.
    assert state.log.quote.tolist() == [5.0, 10.0, 31.5]
    assert state.log.quoted_pay == pytest.approx(state.log.quote * (1 - 0.25 - 0.05))
    assert state.log.quoted_pay + state.log.quoted_revenue == pytest.approx(state.log.quote)


def test_the_first_quote_is_locked_while_surge_rises() -> None:
    # A request in every batch, all in one zone, and no worker online: scarcity grows every
    # batch, and so does the smoothed multiplier (well below its cap of 3).
    n = 10
    tasks = task_rows(request_time=np.arange(n) * 30.0 + 15.0, patience_s=np.full(n, 3600.0))
    away = worker_rows(start_x=[0.0], online_time=[7000.0])
    surge = {"name": "surge", "sensitivity": 0.1, "smoothing": 0.3}
    state = day_state(market(tasks, away), pricing=surge)
    first_quote = None
    for batch in _batches(state, np.arange(1, n + 1) * 30.0):
        # Only the tasks seen for the first time are new.
        assert batch.open[batch.new].tolist() == batch.arrived.tolist()
        first_quote = state.log.quote[0] if first_quote is None else first_quote
        assert state.log.quote[0] == first_quote
    multiplier = state.log.multiplier
    assert np.all(np.diff(multiplier) > 0)  # each later request met a scarcer zone
    plain = METER.fare(np.full(n, 3.0), np.full(n, 10.0), np.zeros(n))
    assert state.log.quote == pytest.approx(plain * multiplier)
