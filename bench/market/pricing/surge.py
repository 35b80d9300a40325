"""``surge``: the tariff times a smoothed, capped multiplier of the task's pricing zone.

Pricing zones are the market kind's (:meth:`gigbench.market.kind.MarketKind.zones`): on a
plane their own grid of ``zone_km`` squares (:class:`gigbench.market.zones.ZoneGrid`); in a
market without places (freelance) a zone is a skill. Every batch, in zone z, with ``open_z``
open requests and ``idle_z`` idle workers *in the zone* (a freelancer counts in every skill
they hold):

    r_z     = (open_z + 1) / (idle_z + 1)       scarcity; 1 when both sides balance or are empty,
                                                 2 for one waiting rider and no idle driver
    m_raw_z = clip(1 + sensitivity * (r_z - 1), 1, cap)
    m_z(t)  = (1 - smoothing) * m_z(t - interval) + smoothing * m_raw_z,   m_z(0) = 1

A task's fare is ``tariff * m_z`` at its first quote (locked). ``cap`` is ``pricing.cap``, or
with ``regulated_cap=true`` the tariff's regulated ceiling (``surge_cap``; Jakarta motorbikes: the
upper over the lower per-km tariff, 2,800 / 2,550 = 1.10): that is the ``surge_capped`` config.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gigbench.market.context import MarketContext, QuoteView
from gigbench.market.pricing.base import PricingPolicy, Quote
from gigbench.solvers.registry import need

__all__ = ["SurgePricing"]


class SurgePricing(PricingPolicy):
    """Tariff times a zone multiplier that rises when open requests outnumber idle workers."""

    name = "surge"

    @dataclass(frozen=True)
    class Params(PricingPolicy.Params):
        """sensitivity: multiplier slope per unit of scarcity; smoothing: weight of the new batch
        in the moving average, in (0, 1]; cap: the highest multiplier (>= 1), or with
        ``regulated_cap`` the preset's regulated ceiling; zone_km: side of a pricing zone;
        preset and commission as for ``tariff``."""

        sensitivity: float = 0.5
        smoothing: float = 0.3
        cap: float = 3.0
        regulated_cap: bool = False
        zone_km: float = 2.0

        def check(self) -> None:
            """Reject a cap below 1, smoothing outside (0, 1], a negative slope or zone."""
            super().check()
            need(self.cap >= 1, "pricing.cap", ">= 1 (1 switches surge off)", self.cap)
            need(0 < self.smoothing <= 1, "pricing.smoothing", "in (0, 1]", self.smoothing)
            need(self.sensitivity >= 0, "pricing.sensitivity", ">= 0", self.sensitivity)
            need(self.zone_km > 0, "pricing.zone_km", "a zone side > 0 km (e.g. 2)", self.zone_km)

    def bind(self, context: MarketContext) -> None:
        """The tariff, the pricing zones of every task, and a multiplier of 1 everywhere."""
        super().bind(context)
        self.cap = self.tariff.surge_cap if self.params.regulated_cap else float(self.params.cap)
        self.zones = context.kind.zones(self.params.zone_km, "pricing.zone_km")
        self.task_zone = self.zones.task_zone
        self.state = np.ones(self.zones.n_zones)

    def quote(self, view: QuoteView) -> Quote:
        """Update every zone's multiplier from this batch and quote each open task."""
        n = len(self.state)
        zone = self.task_zone[view.task]
        scarcity = (np.bincount(zone, minlength=n) + 1.0) / (self.zones.idle(view) + 1.0)
        raw = np.clip(1.0 + self.params.sensitivity * (scarcity - 1.0), 1.0, self.cap)
        alpha = self.params.smoothing
        self.state = (1.0 - alpha) * self.state + alpha * raw
        multiplier = self.state[zone]
        return Quote(self.base_fare[view.task] * multiplier, multiplier)
