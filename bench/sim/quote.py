"""Stage: the pricing policy quotes the open tasks; a task's first quote is locked (upfront
pricing) and fixes the pay its worker would get (the commission split)."""

from __future__ import annotations

import numpy as np

from bench.market.context import QuoteView
from bench.sim.state import Batch, SimState, stage

__all__ = ["offer"]


@stage("quote")
def offer(state: SimState, batch: Batch) -> None:
    """Quote every open task; lock the quotes of tasks seen for the first time."""
    policy, fleet, log = state.spec.pricing, state.fleet, state.log
    waiting = state.open
    quote = policy.quote(QuoteView(batch.now, waiting, fleet.position[batch.idle],
                                   fleet.skills[batch.idle]))  # fmt: skip
    new = np.isnan(log.quote[waiting])
    log.quote[waiting[new]] = quote.fare[new]
    log.multiplier[waiting[new]] = quote.multiplier[new]
    batch.open = waiting
