"""``welfare``: ``round(100 * (value - worker_cost))``, the surplus the trip creates."""

from __future__ import annotations

from gigbench.market.objective.base import EdgeContext, Objective, Terms, cents

__all__ = ["Welfare"]


class Welfare(Objective):
    """Surplus in cents: the task's value minus the worker's cost of the job."""

    name = "welfare"

    def weigh(self, ctx: EdgeContext) -> Terms:
        """One term, ``welfare``."""
        return {"welfare": cents(ctx.value - ctx.worker_cost)}
