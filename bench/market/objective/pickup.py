"""``pickup``: ``2 * radius_m - pickup_m``: every match is worth more than the pickup it costs,
so the matching serves many tasks with short pickups (classic dispatch)."""

from __future__ import annotations

import numpy as np

from gigbench.market.objective.base import EdgeContext, Objective, Terms

__all__ = ["Pickup"]


class Pickup(Objective):
    """Metres saved against twice the search radius."""

    name = "pickup"

    def weigh(self, ctx: EdgeContext) -> Terms:
        """One term, ``pickup``."""
        radius_m = 1000.0 * ctx.radius_km
        return {"pickup": np.round(2.0 * radius_m - 1000.0 * ctx.pickup_km).astype(np.int64)}
