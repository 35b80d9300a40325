"""Stage: the pricing policy quotes the open tasks; a task's first quote is locked (upfront
pricing) and fixes the pay its worker would get (the commission split and the pay rule's
floor)."""

from __future__ import annotations

import numpy as np

from gigbench.market.context import QuoteView
from gigbench.sim.state import Batch, SimState, stage

__all__ = ["offer"]


@stage("quote")
def offer(state: SimState, batch: Batch) -> None:
    """Quote every open task; lock the quotes of tasks seen for the first time."""
    policy, fleet, log = state.spec.pricing, state.fleet, state.log
    waiting = state.open
    quote = policy.quote(QuoteView(batch.now, waiting, fleet.position[batch.idle],
                                   fleet.skills[batch.idle]))  # fmt: skip
    new = np.isnan(log.quote[waiting])
    batch.open, batch.new = waiting, new
    if not new.any():  # every open task already holds its quote (most batches at night)
        return
    fresh = waiting[new]
    log.quote[fresh] = quote.fare[new]
    log.multiplier[fresh] = quote.multiplier[new]
    money = state.spec.payout(quote.fare[new], state.tasks.km[fresh], state.tasks.minutes[fresh])
    log.quoted_pay[fresh] = money["worker_pay"]
    log.quoted_revenue[fresh] = money["commission"] + money["fee"]
