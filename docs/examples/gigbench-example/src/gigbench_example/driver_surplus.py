"""``driver_surplus``: weigh each candidate edge by what the job leaves its worker,

    weight = round(100 * (worker_pay - worker_cost))
           + round(100 * platform_share * platform_revenue)

in cents: the matching maximises drivers' earnings net of their costs, with ``platform_share``
of the platform's revenue on top (0: the drivers alone; 1: drivers and platform alike).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from gigbench.market.objective import EdgeContext, Objective
from gigbench.market.objective.base import Terms, cents


class DriverSurplus(Objective):
    """Workers' pay net of their cost of the job, plus a share of the platform's revenue."""

    name = "driver_surplus"

    @dataclass(frozen=True)
    class Params:
        """platform_share: the weight of the platform's revenue, in [0, 1]."""

        platform_share: float = 0.0

        def check(self) -> None:
            """Reject a share outside [0, 1]."""
            share = self.platform_share
            if not (math.isfinite(share) and 0.0 <= share <= 1.0):
                raise ValueError(f"objective.platform_share: expected [0, 1], got {share!r}")

    def weigh(self, ctx: EdgeContext) -> Terms:
        """Two terms: ``driver_surplus`` and ``platform``."""
        return {
            "driver_surplus": cents(ctx.worker_pay - ctx.worker_cost),
            "platform": cents(self.params.platform_share * ctx.platform_revenue),
        }
