"""Pricing policies (``pricing=``): a fare quoted before matching, settled after it.

| name | fare |
|---|---|
| ``tariff`` | the regulated tariff (:mod:`gigbench.market.fares`) |
| ``surge`` | tariff x a smoothed, capped multiplier of the pickup zone (:mod:`.surge`) |
| ``equilibrium`` | competitive-equilibrium fares from the matching (:mod:`.equilibrium`) |
| ``observed`` | the fare each replayed trip recorded (:mod:`.observed`) |
"""

from __future__ import annotations

from gigbench.market.plugin import plugin_check
from gigbench.market.pricing.base import PricingPolicy, Quote
from gigbench.solvers.registry import Registry

__all__ = ["PRICING", "PricingPolicy", "Quote"]

PRICING: Registry[type[PricingPolicy]] = Registry(
    "pricing",
    {
        "tariff": "gigbench.market.pricing.tariff:TariffPricing",
        "surge": "gigbench.market.pricing.surge:SurgePricing",
        "equilibrium": "gigbench.market.pricing.equilibrium:EquilibriumPricing",
        "observed": "gigbench.market.pricing.observed:ObservedPricing",
    },
    check=plugin_check(PricingPolicy),
    group="gigbench.pricing",
)
