"""A third market kind from another distribution: declared in ``gigbench.market_kinds``, named
by a scenario, run for a day, and put through its conformance suite."""

from __future__ import annotations

import dataclasses

import pytest
from market_fixtures import market, task_rows, worker_rows
from plugin_dist import write_distribution

from gigbench.instances import Scenario
from gigbench.market.kind import MARKET_KINDS
from gigbench.sim import SimSpec, simulate
from gigbench.sim.config import Settings
from gigbench.solvers import get_solver
from gigbench.testing import Subject, run_suite

# A call-out market: any idle worker may take any open task (each task is offered to the first
# ``k`` idle workers) and reaches it in a fixed time, wherever both are (a locksmith dispatched
# by phone, say); a worker stays where they were.
CALL_OUT = '''
"""A call-out market kind for tests."""
import numpy as np

from gigbench.market.kind import Candidates, MarketKind


class CallOut(MarketKind):
    """The first ``k`` idle workers are the candidates of every open task; each reaches it in 5
    minutes."""

    name = "call_out"

    def candidates(self, view):
        """Each task with the first ``k`` idle workers, at no road distance."""
        first = np.arange(min(view.k, len(view.worker_xy)))
        worker, task = np.meshgrid(first, np.arange(len(view.task)))
        worker, task = worker.ravel(), task.ravel()
        return Candidates(worker, task, np.zeros(len(worker)))

    def reach_minutes(self, km, now):
        """A fixed call-out time."""
        return np.full(len(km), 5.0)

    def end_positions(self, view):
        """Where the workers were."""
        return view.worker_xy
'''

SETTINGS = Settings(interval_s=30.0, k=5, radius_km=5.0, detour=1.0, cost_per_km=0.2)


@pytest.fixture
def call_out(tmp_path, monkeypatch) -> None:
    """The call-out kind installed as a distribution for this test."""
    folder = write_distribution(
        tmp_path / "call-out",
        "gigbench-call-out",
        {"gigbench.market_kinds": {"call_out": "call_out_kind:CallOut"}},
        modules={"call_out_kind": CALL_OUT},
    )
    monkeypatch.syspath_prepend(str(folder))


def _far_apart(kind: str):
    """One task 40 km from the only worker: out of any ride-hailing radius."""
    scenario = market(task_rows(origin_x=[40.0], dest_x=[40.0]), worker_rows(start_x=[0.0]))
    info = dataclasses.replace(scenario.info, market=kind)
    return Scenario(scenario.tasks, scenario.workers, info).with_hash()


def _day(scenario):
    spec = SimSpec.of(SETTINGS, pricing="tariff", objective="welfare", reposition="none")
    return simulate(scenario, get_solver("hungarian"), spec)


def test_a_market_kind_from_another_distribution_runs_a_day(call_out) -> None:
    assert "call_out" in MARKET_KINDS.names()
    assert _day(_far_apart("ride_hailing")).metrics["match_rate"] == 0.0
    result = _day(_far_apart("call_out"))
    trip = result.tables["trips"].to_pylist()[0]
    assert trip["served"] and trip["pickup_min"] == 5.0 and trip["pickup_km"] == 0.0
    assert result.metrics["match_rate"] == 1.0


def test_the_third_kind_passes_the_market_kind_suite(call_out) -> None:
    outcomes = run_suite(Subject("market_kind", "call_out"))
    failed = [o for o in outcomes if o.status == "failed"]
    assert not failed, failed
    assert sum(o.status == "passed" for o in outcomes) >= 5
