"""A day's simulation state built from a hand-built scenario, for testing one stage at a time.

:func:`day_state` builds the state the loop would (its real fleet, market kind and plugins);
:func:`open_batch` runs the stages before matching on it, so a test can call the stage it
tests on exactly what the loop would hand it.
"""

from __future__ import annotations

from typing import Any

from gigbench.instances import Scenario
from gigbench.sim import acceptance, arrivals, candidates, quote, supply
from gigbench.sim.config import Settings, SimSpec
from gigbench.sim.horizon import Horizon
from gigbench.sim.state import Batch, SimState

# 30 s batches, 5 candidates within 5 km of straight road, 0.2 a km for every vehicle.
SETTINGS = Settings(interval_s=30.0, k=5, radius_km=5.0, detour=1.0, cost_per_km=0.2)


def day_state(scenario: Scenario, settings: Settings = SETTINGS, **plugins: Any) -> SimState:
    """Day 0 of ``scenario`` with the plugins named in ``plugins`` (SimSpec.of's keywords),
    its shifts on the fleet."""
    spec = SimSpec.of(settings, **plugins)
    state = next(Horizon(scenario, spec).days())
    supply.start_day(state)
    return state


def open_batch(state: SimState, now: float, number: int = 0) -> Batch:
    """The batch at ``now`` after arrivals, supply, quote and the riders' acceptance."""
    batch = Batch(number, now)
    arrivals.admit(state, batch)
    supply.online(state, batch)
    quote.offer(state, batch)
    acceptance.riders(state, batch)
    return batch


def accepted_batch(state: SimState, now: float, number: int = 0) -> Batch:
    """:func:`open_batch`, then the candidates the workers accept."""
    batch = open_batch(state, now, number)
    candidates.find(state, batch)
    acceptance.workers(state, batch)
    return batch
