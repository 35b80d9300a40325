"""``tariff``: the regulated tariff, no surge: ``max(min_fare, base + per_km km + per_min min)``."""

from __future__ import annotations

from gigbench.market.pricing.base import PricingPolicy

__all__ = ["TariffPricing"]


class TariffPricing(PricingPolicy):
    """The scenario's regulated tariff (or a preset), quoted upfront and charged as quoted."""

    name = "tariff"
