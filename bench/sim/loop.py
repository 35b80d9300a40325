"""The closed loop: day after day (``mode.days``), a day of demand batch by batch through the
stages in order.

supply (who works today) -> per batch: arrivals (and abandonment) -> supply (who is online) ->
reposition (idle workers move) -> quote (the pricing policy) -> acceptance of riders ->
candidates (k nearest / skills) -> acceptance of workers -> weigh (the objective) -> match (the
solver, validated) -> settle (fares, split, pay) -> move (busy until the drop-off) -> the day's
figures, and what the supply policy learns from them (:mod:`gigbench.sim.horizon`). Each stage is a
module of :mod:`gigbench.sim`; the pluggable ones call the plugins of :mod:`gigbench.market` the
spec
holds.
"""

from __future__ import annotations

from pathlib import Path

from gigbench.instances import Scenario
from gigbench.sim import (
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
from gigbench.sim.config import SimSpec
from gigbench.sim.horizon import Horizon
from gigbench.sim.results import SimulationResult
from gigbench.sim.state import Batch, SimState
from gigbench.solvers import Solver

__all__ = ["simulate"]


def simulate(
    scenario: Scenario, solver: Solver, spec: SimSpec, record_to: Path | None = None
) -> SimulationResult:
    """Simulate ``scenario`` (day 0; the days after it, :mod:`gigbench.sim.days`) with ``solver``
    and the plugins of ``spec``."""
    horizon = Horizon(scenario, spec, record=record_to is not None)
    for state in horizon.days():
        supply.start_day(state)
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
        supply.end_day(state, horizon.close(state))
    return horizon.result(record_to)


def _note(state: SimState, batch: Batch) -> None:
    """One row of the batch log."""
    log, i = state.batches, batch.number
    log["open"][i], log["idle"][i] = len(batch.open), len(batch.idle)
    log["edges"][i] = 0 if batch.problem is None else batch.problem.n_edges
    log["matched"][i] = batch.matched
