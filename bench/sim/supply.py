"""Stage: who works today (the supply policy, at the start of each day) and who is available
now (online, with a free job slot)."""

from __future__ import annotations

from bench.sim.state import Batch, SimState, stage

__all__ = ["online", "start_day"]


def start_day(state: SimState, day: int) -> None:
    """Put today's shifts, as the supply policy decides them, on the fleet."""
    shifts = state.spec.supply.day(day)
    state.fleet.start_day(shifts.online, shifts.offline)


@stage("supply")
def online(state: SimState, batch: Batch) -> None:
    """The batch's idle workers and their free slots."""
    batch.idle, batch.free = state.fleet.available(batch.now)
