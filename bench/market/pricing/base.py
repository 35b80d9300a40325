"""The pricing policy contract: ``bind`` once a day, ``quote`` before matching, ``settle`` after.

A fare change (``fare_multiplier`` from day ``fare_change_day`` of a multi-day run on) scales
the tariff every quote starts from: ``fare = fare_multiplier * tariff`` on those days (a
regulated tariff rise, or a platform's rate change), so the trip log's tariff parts, the surge
multiplier over the tariff and every quote move with it.

The simulation locks each task's first quote (upfront pricing: the rider sees one price and
accepts it if it is at most their willingness to pay) and, after matching, charges the fare
``settle`` returns for each matched task. The commission (:class:`gigbench.market.fares.Commission`)
then splits every fare into worker pay and platform revenue.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from gigbench.instances.tariffs import Tariff
from gigbench.market.context import MarketContext, QuoteView, SettleView
from gigbench.market.fares import Commission, check_presets, resolve
from gigbench.market.plugin import Plugin
from gigbench.solvers.registry import need

__all__ = ["PricingPolicy", "Quote"]


@dataclass(frozen=True)
class Quote:
    """Per open task: the fare offered and its multiplier over the tariff."""

    fare: np.ndarray
    multiplier: np.ndarray


class PricingPolicy(Plugin):
    """Base class: the tariff and commission of the scenario, quoted as is."""

    kind: ClassVar[str] = "pricing"

    @dataclass(frozen=True)
    class Params:
        """preset: ``auto`` (the scenario's own tariff) or its name (a key of
        ``gigbench.instances.tariffs.TARIFFS``; another tariff than the scenario's is refused);
        commission: ``auto`` (the scenario's tariff's own commission and fee) or a key of
        ``gigbench.market.fares.COMMISSION_PRESETS``; fare_multiplier: the tariff's scale from
        day ``fare_change_day`` (0 = the first) on (e.g. 1.1 for a 10% rise)."""

        preset: str = "auto"
        commission: str = "auto"
        fare_multiplier: float = 1.0
        fare_change_day: int = 0

        def check(self) -> None:
            """Reject an unknown tariff or commission preset, or a fare change that is not a
            positive multiplier from a day >= 0."""
            check_presets(self.preset, self.commission)
            m, day = self.fare_multiplier, self.fare_change_day
            need(not isinstance(m, bool) and isinstance(m, int | float) and 0 < m < math.inf,
                 "pricing.fare_multiplier",
                 "a factor > 0 on the tariff (1 = no change, 1.1 = a 10% rise)", m)  # fmt: skip
            need(not isinstance(day, bool) and isinstance(day, int) and day >= 0,
                 "pricing.fare_change_day",
                 "the day (0 = the first) from which fare_multiplier applies", day)  # fmt: skip

    tariff: Tariff
    commission: Commission
    scale: float = 1.0  # the tariff's multiplier today (a fare change)

    def bind(self, context: MarketContext) -> None:
        """Take the scenario's tariff and commission, scaled on the days a fare change is in
        force; precompute each task's tariff fare."""
        self.context = context
        self.tariff, self.commission = resolve(
            self.params.preset, self.params.commission, context.info.tariff
        )
        on = context.day >= self.params.fare_change_day
        self.scale = float(self.params.fare_multiplier) if on else 1.0
        self.base_fare = self.tariff.fare(
            context.trip_km, context.trip_min, context.value, self.scale
        )

    def tariff_parts(self) -> dict[str, np.ndarray]:
        """The tariff's base, distance, time and minimum-fare parts of every task's fare."""
        c = self.context
        return self.tariff.parts(c.trip_km, c.trip_min, c.value, self.scale)

    def requires(self) -> str | None:
        """An objective this policy only works with (None: any)."""
        return None

    def needs_duals(self) -> bool:
        """Whether :meth:`settle` reads the solution's duals."""
        return False

    def quote(self, view: QuoteView) -> Quote:
        """The fare each open task would be offered now (the tariff, multiplier 1)."""
        return Quote(self.base_fare[view.task], np.ones(len(view.task)))

    def matching_value(self, task: np.ndarray) -> np.ndarray:
        """Each task's value as the matching weighs it: the rider's willingness to pay (the
        commission on a posted fare is a transfer inside the trip's surplus)."""
        return self.context.value[task]

    def settle(self, view: SettleView) -> np.ndarray:
        """The fare each matched task pays: its locked quote."""
        return view.quote
