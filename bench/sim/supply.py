"""Stage: who works today (the supply policy, at the start of each day), who is available now
(online, with a free job slot), and what the policy learns when the day closes."""

from __future__ import annotations

from gigbench.market.supply import DayEarnings
from gigbench.sim.state import Batch, SimState, stage

__all__ = ["end_day", "online", "start_day"]


def start_day(state: SimState) -> None:
    """Put today's shifts, as the supply policy decides them, on the fleet."""
    shifts = state.spec.supply.day(state.day)
    state.fleet.start_day(shifts.online, shifts.offline)


@stage("supply")
def online(state: SimState, batch: Batch) -> None:
    """The batch's idle workers and their free slots."""
    batch.idle, batch.free = state.fleet.available(batch.now)


def end_day(state: SimState, earnings: DayEarnings) -> None:
    """The supply policy sees what the day paid each worker; the fleet's day closes."""
    state.spec.supply.learn(state.day, earnings)
    state.fleet.close_day()
