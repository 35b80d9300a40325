"""Pricing policies (``pricing=``): a fare quoted before matching, settled after it.

| name | fare |
|---|---|
| ``tariff`` | the regulated tariff (:mod:`bench.market.fares`) |
| ``surge`` | tariff x a smoothed, capped multiplier of the pickup zone (:mod:`.surge`) |
| ``equilibrium`` | competitive-equilibrium fares from the matching (:mod:`.equilibrium`) |
| ``observed`` | the fare each replayed trip recorded (:mod:`.observed`) |
"""

from __future__ import annotations

from bench.market.plugin import plugin_check
from bench.market.pricing.base import PricingPolicy, Quote
from solvers.registry import Registry

__all__ = ["PRICING", "PricingPolicy", "Quote"]

PRICING: Registry[type[PricingPolicy]] = Registry(
    "pricing",
    {
        "tariff": "bench.market.pricing.tariff:TariffPricing",
        "surge": "bench.market.pricing.surge:SurgePricing",
        "equilibrium": "bench.market.pricing.equilibrium:EquilibriumPricing",
        "observed": "bench.market.pricing.observed:ObservedPricing",
    },
    check=plugin_check(PricingPolicy),
)
