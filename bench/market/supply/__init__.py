"""Supply (``supply=``): who works, and when, on each day of a run.

| name | what |
|---|---|
| ``fixed`` | the scenario's shifts, every day the same |
"""

from __future__ import annotations

from bench.market.plugin import plugin_check
from bench.market.supply.base import Shifts, SupplyPolicy
from solvers.registry import Registry

__all__ = ["SUPPLY", "Shifts", "SupplyPolicy"]

SUPPLY: Registry[type[SupplyPolicy]] = Registry(
    "supply",
    {"fixed": "bench.market.supply.base:FixedSupply"},
    check=plugin_check(SupplyPolicy),
)
