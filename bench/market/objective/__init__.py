"""Objectives (``objective=``): a batch's candidate edges as integer weights, maximised.

| name | edge weight |
|---|---|
| ``welfare`` | surplus the trip creates, in cents |
| ``pickup`` | metres saved against twice the search radius |
| ``revenue`` | the platform's revenue, pickup breaking ties |
| ``fair`` | welfare plus a pay bonus for workers who lag the fleet (``objective.lambda``) |
"""

from __future__ import annotations

from gigbench.market.objective.base import CENTS, EdgeContext, Objective, total
from gigbench.market.plugin import plugin_check
from gigbench.solvers.registry import Registry

__all__ = ["CENTS", "OBJECTIVES", "EdgeContext", "Objective", "total"]

OBJECTIVES: Registry[type[Objective]] = Registry(
    "objective",
    {
        "welfare": "gigbench.market.objective.welfare:Welfare",
        "pickup": "gigbench.market.objective.pickup:Pickup",
        "revenue": "gigbench.market.objective.revenue:Revenue",
        "fair": "gigbench.market.objective.fair:Fair",
    },
    check=plugin_check(Objective),
    group="gigbench.objectives",
)
