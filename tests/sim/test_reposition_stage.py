"""Stage ``reposition`` (gigbench.sim.reposition; the policies themselves are tested in
tests/market/test_reposition.py): a moving idle worker advances ``cruise_kmh * interval_s``
road kilometres a batch toward its target (straight-line progress: road km / detour), stops
there and pays for the kilometres; then the policy's new targets are set."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from market_fixtures import market, task_rows, worker_rows
from sim_fixtures import SETTINGS, day_state

from gigbench.sim.reposition import drive
from gigbench.sim.state import Batch
from gigbench.sim.supply import online

NEVER = 1e9  # a wait no worker reaches: the policy gives no new targets


def _heading_east(reposition, detour=1.0, target_x=0.25):
    """One idle worker at the origin, already driving toward (target_x, 0)."""
    settings = dataclasses.replace(SETTINGS, detour=detour)
    scenario = market(task_rows(request_time=[7000.0]), worker_rows(start_x=[0.0]))
    state = day_state(scenario, settings, reposition=reposition)
    state.fleet.target[0] = [target_x, 0.0]
    state.fleet.moving[0] = True
    return state


def _batches(state, count):
    for number in range(count):
        batch = Batch(number, 30.0 * (number + 1))
        online(state, batch)
        drive(state, batch)


@pytest.mark.parametrize("detour", [1.0, 1.25])
def test_a_worker_advances_at_cruising_speed_and_stops_at_its_target(detour) -> None:
    state = _heading_east({"name": "demand", "cruise_kmh": 12.0, "wait_s": NEVER}, detour)
    fleet = state.fleet
    step = 12.0 * 30.0 / 3600.0 / detour  # straight-line km per 30 s batch
    _batches(state, 1)
    assert fleet.position[0] == pytest.approx([step, 0.0])
    assert fleet.cruise_km[0] == pytest.approx(step * detour)
    assert fleet.moving[0]
    _batches(state, 5)  # far more than the 0.25 km left
    assert fleet.position[0] == pytest.approx([0.25, 0.0])
    assert fleet.cruise_km[0] == pytest.approx(0.25 * detour)
    assert not fleet.moving[0] and np.isnan(fleet.target[0]).all()


def test_cruise_speed_zero_is_the_market_kind_travel_speed() -> None:
    state = _heading_east({"name": "demand", "cruise_kmh": 0.0, "wait_s": NEVER}, target_x=5.0)
    _batches(state, 2)
    assert state.fleet.position[0] == pytest.approx([2 * 30.0 * 30.0 / 3600.0, 0.0])  # 30 km/h


def test_a_policy_that_moves_nobody_leaves_every_worker_where_it_is() -> None:
    state = _heading_east("none")
    _batches(state, 3)
    assert state.fleet.position[0].tolist() == [0.0, 0.0]
    assert state.fleet.cruise_km[0] == 0.0


def test_the_policy_targets_are_set_and_the_workers_start_moving() -> None:
    # Requests pile up 6 km east of an idle worker who may look at once.
    n = 20
    scenario = market(task_rows(request_time=np.full(n, 10.0), origin_x=np.full(n, 7.0),
                                origin_y=np.full(n, 1.0), patience_s=np.full(n, 3600.0)),
                      worker_rows(start_x=[1.0], start_y=[1.0]))  # fmt: skip
    state = day_state(scenario, reposition={"name": "demand", "wait_s": 0.0, "max_km": 8.0})
    batch = Batch(0, 30.0)
    batch.arrived = np.arange(n)
    online(state, batch)
    drive(state, batch)
    fleet = state.fleet
    assert fleet.moving[0]
    assert fleet.target[0][0] > fleet.position[0][0]  # heading east, toward the requests
