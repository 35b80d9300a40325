"""Repositioning (``reposition=``): where idle workers drive while they wait for a job.

* ``none``: idle workers stay where their last trip ended.
* ``demand``: a worker idle for ``wait_s`` heads for the reachable zone with the most expected
  requests per idle worker.
* ``rebalance``: every ``every_s`` the platform moves idle workers toward expected demand by a
  min-cost flow.
"""

from __future__ import annotations

from gigbench.market.plugin import plugin_check
from gigbench.market.reposition.base import IdleView, Moves, Repositioning
from gigbench.solvers.registry import Registry

__all__ = ["REPOSITIONING", "IdleView", "Moves", "Repositioning"]

REPOSITIONING: Registry[type[Repositioning]] = Registry(
    "reposition",
    {
        "none": "gigbench.market.reposition.base:Stay",
        "demand": "gigbench.market.reposition.demand:TowardDemand",
        "rebalance": "gigbench.market.reposition.rebalance:Rebalance",
    },
    check=plugin_check(Repositioning),
    group="gigbench.reposition",
)
