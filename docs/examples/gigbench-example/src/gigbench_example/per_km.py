"""``per_km``: a flat fare per kilometre with a minimum, no time component and no surge:

    fare = fare_multiplier * max(minimum, per_km * trip_km)

in the scenario's currency (the defaults are US dollars). The commission splits it as it splits
every fare (``pricing.commission``); riders accept it when it is at most their willingness to
pay, workers when their share covers the job's cost.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from gigbench.market.context import MarketContext, QuoteView
from gigbench.market.pricing import PricingPolicy, Quote


class PerKmFare(PricingPolicy):
    """A flat rate per kilometre of the trip, with a minimum fare."""

    name = "per_km"

    @dataclass(frozen=True)
    class Params(PricingPolicy.Params):
        """per_km: the fare per km of the trip (> 0); minimum: the least fare (>= 0); preset,
        commission and the fare change as for ``tariff``."""

        per_km: float = 1.5
        minimum: float = 5.0

        def check(self) -> None:
            """Reject a rate that is not positive or a negative minimum."""
            super().check()
            if not (math.isfinite(self.per_km) and self.per_km > 0):
                raise ValueError(f"pricing.per_km: expected a fare per km > 0, got {self.per_km!r}")
            if not (math.isfinite(self.minimum) and self.minimum >= 0):
                raise ValueError(f"pricing.minimum: expected a fare >= 0, got {self.minimum!r}")

    def bind(self, context: MarketContext) -> None:
        """The scenario's commission (and tariff, for the trip log), and each task's fare."""
        super().bind(context)  # sets self.tariff, self.scale (a fare change) and self.base_fare
        flat = np.maximum(self.params.minimum, self.params.per_km * context.trip_km)
        self.fare = self.scale * flat

    def quote(self, view: QuoteView) -> Quote:
        """Each open task's fare; its multiplier is over the tariff, as for every policy."""
        fare = self.fare[view.task]
        base = self.base_fare[view.task]
        return Quote(fare, np.divide(fare, base, out=np.ones(len(fare)), where=base > 0))
