"""``revenue``: ``1000 * round(100 * platform_revenue)`` of the quoted fare, plus a pickup
tie-break in [1, 1000] (shorter pickups first)."""

from __future__ import annotations

import numpy as np

from gigbench.market.objective.base import EdgeContext, Objective, Terms, cents

__all__ = ["Revenue"]


class Revenue(Objective):
    """Platform revenue in cents (x 1000), shorter pickups breaking ties."""

    name = "revenue"

    def weigh(self, ctx: EdgeContext) -> Terms:
        """One term, ``revenue``."""
        tie = np.clip(1000 - np.round(1000 * ctx.pickup_km / (2 * ctx.radius_km)), 1, 1000)
        return {"revenue": 1000 * cents(ctx.platform_revenue) + tie.astype(np.int64)}
