"""Supply (``supply=``): who works, and when, on each day of a run.

| name | what |
|---|---|
| ``fixed`` | the scenario's shifts, every day the same |
| ``elastic`` | a pool of drivers; each works a day with a logit probability in expected net |
| | hourly earnings (learned from their own days) minus their reservation wage |
"""

from __future__ import annotations

from gigbench.market.plugin import plugin_check
from gigbench.market.supply.base import DayEarnings, Pool, Shifts, SupplyPolicy
from gigbench.solvers.registry import Registry

__all__ = ["SUPPLY", "DayEarnings", "Pool", "Shifts", "SupplyPolicy"]

SUPPLY: Registry[type[SupplyPolicy]] = Registry(
    "supply",
    {
        "fixed": "gigbench.market.supply.base:FixedSupply",
        "elastic": "gigbench.market.supply.elastic:ElasticSupply",
    },
    check=plugin_check(SupplyPolicy),
    group="gigbench.supply",
)
