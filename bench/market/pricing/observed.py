"""``observed``: each replayed rider pays the fare the trip record says they paid.

The recorded market first: a replayed trip is quoted its ``observed_fare`` (a task without
one, in a scenario that records nothing, is quoted the tariff), and charged it when matched.
Replay builds every rider's willingness to pay at or above the recorded fare (the rider did
pay it: :mod:`gigbench.instances.tlc.replay`), so under this policy no replayed rider declines; what
is left to the simulation is whether the fitted fleet reaches them in time. Other policies
then show what they would have changed on the same requests.
"""

from __future__ import annotations

import numpy as np

from gigbench.market.context import MarketContext, QuoteView
from gigbench.market.pricing.base import PricingPolicy, Quote

__all__ = ["ObservedPricing"]


class ObservedPricing(PricingPolicy):
    """The recorded fare where there is one, else the tariff; charged as quoted."""

    name = "observed"

    def bind(self, context: MarketContext) -> None:
        """The tariff (for the split and for tasks without a record), and each task's fare."""
        super().bind(context)
        recorded = np.isfinite(context.observed_fare)
        self.fare = np.where(recorded, context.observed_fare, self.base_fare)

    def quote(self, view: QuoteView) -> Quote:
        """The recorded fare; its multiplier is over the tariff, as for every policy."""
        fare = self.fare[view.task]
        base = self.base_fare[view.task]
        multiplier = np.divide(fare, base, out=np.ones(len(fare)), where=base > 0)
        return Quote(fare, multiplier)
