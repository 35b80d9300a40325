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
from dataclasses import dataclass, replace
from typing import ClassVar

import numpy as np

from gigbench.errors import ConfigError
from gigbench.market.context import MarketContext, QuoteView, SettleView
from gigbench.market.fares import Commission, Tariff, check_presets, resolve
from gigbench.market.plugin import Plugin

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
        """preset: ``auto`` (the scenario's own tariff, else the NYC meter) or a key of
        ``gigbench.market.fares.TARIFF_PRESETS``; commission: ``auto`` (the scenario's own
        commission and fee, else flat 20%) or a key of ``COMMISSION_PRESETS``;
        fare_multiplier: the tariff's scale from day ``fare_change_day`` (0 = the first) on
        (e.g. 1.1 for a 10% rise)."""

        preset: str = "auto"
        commission: str = "auto"
        fare_multiplier: float = 1.0
        fare_change_day: int = 0

        def check(self) -> None:
            """Reject an unknown tariff or commission preset, or a fare change that is not a
            positive multiplier from a day >= 0."""
            check_presets(self.preset, self.commission)
            m, day = self.fare_multiplier, self.fare_change_day
            if isinstance(m, bool) or not (isinstance(m, int | float) and 0 < m < math.inf):
                raise ConfigError(
                    f"pricing.fare_multiplier: expected a factor > 0 on the tariff (1 = no "
                    f"change, 1.1 = a 10% rise), got {m!r}"
                )
            if isinstance(day, bool) or not isinstance(day, int) or day < 0:
                raise ConfigError(
                    f"pricing.fare_change_day: expected the day (0 = the first) from which "
                    f"fare_multiplier applies, got {day!r}"
                )

    tariff: Tariff
    commission: Commission

    def bind(self, context: MarketContext) -> None:
        """Take the scenario's tariff and commission, scaled on the days a fare change is in
        force; precompute each task's tariff fare."""
        self.context = context
        self.tariff, self.commission = resolve(
            self.params.preset, self.params.commission, context.meta
        )
        if context.day >= self.params.fare_change_day:
            self.tariff = replace(self.tariff, scale=float(self.params.fare_multiplier))
        self.base_fare = self.tariff.fare(context.trip_km, context.trip_min, context.value)

    def tariff_parts(self) -> dict[str, np.ndarray]:
        """The tariff's base, distance, time and minimum-fare parts of every task's fare."""
        c = self.context
        return self.tariff.components(c.trip_km, c.trip_min, c.value)

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
