"""The closed loop: a horizon of demand, batch by batch, through the stages in order.

arrivals (and abandonment) -> supply (who is online) -> reposition (idle workers move) ->
quote (the pricing policy) -> acceptance of riders -> candidates (k nearest / skills) ->
acceptance of workers -> weigh (the objective) -> match (the solver, validated) -> settle (fares,
split, pay) -> move (busy until the drop-off). Each stage is a module of :mod:`bench.sim`; the
pluggable ones call the plugins of :mod:`bench.market` the spec holds.
"""

from __future__ import annotations

from pathlib import Path

from bench.sim import (
    acceptance,
    arrivals,
    candidates,
    match,
    move,
    quote,
    reposition,
    settle,
    supply,
    weigh,
)
from bench.sim.config import SimSpec
from bench.sim.recording import BatchRecorder
from bench.sim.results import SimulationResult, summarise
from bench.sim.state import Batch, SimState
from instances import Scenario
from solvers import Solver

__all__ = ["simulate"]


def simulate(
    scenario: Scenario, solver: Solver, spec: SimSpec, record_to: Path | None = None
) -> SimulationResult:
    """Simulate ``scenario`` with ``solver`` and the plugins of ``spec``."""
    state = SimState(scenario, spec)
    state.recorder = BatchRecorder() if record_to is not None else None
    supply.start_day(state, 0)
    for batch in state.clock():
        arrivals.admit(state, batch)
        supply.online(state, batch)
        reposition.drive(state, batch)
        quote.offer(state, batch)
        acceptance.riders(state, batch)
        if batch.can_match:
            candidates.find(state, batch)
            acceptance.workers(state, batch)
            weigh.edges(state, batch)
            match.solve(state, batch, solver)
        if batch.matched:
            settle.pay(state, batch)
            move.dispatch(state, batch)
        _note(state, batch)
    if state.recorder is not None:
        state.recorder.write(record_to)
    return summarise(state)


def _note(state: SimState, batch: Batch) -> None:
    """One row of the batch log."""
    log, i = state.batches, batch.number
    log["open"][i], log["idle"][i] = len(batch.open), len(batch.idle)
    log["edges"][i] = 0 if batch.problem is None else batch.problem.n_edges
    log["matched"][i] = batch.matched
