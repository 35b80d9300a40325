"""Market kinds (named by a scenario's ``market``): what differs between kinds of market.

| name | tasks | candidates | travel |
|---|---|---|---|
| ``ride_hailing`` | trips on a plane | the nearest idle drivers | at the hour's speed |
| ``freelance`` | postings by skill | the cheapest idle holders of the skill | none |

Other distributions add kinds by entry points in ``gigbench.market_kinds``
(:mod:`gigbench.market.kind.base` is the contract).
"""

from __future__ import annotations

from gigbench.market.kind.base import MarketKind, MoveView, PoolView, Zones
from gigbench.market.kind.candidates import Candidates
from gigbench.market.plugin import plugin_check
from gigbench.solvers.registry import Registry

__all__ = ["MARKET_KINDS", "Candidates", "MarketKind", "MoveView", "PoolView", "Zones"]

MARKET_KINDS: Registry[type[MarketKind]] = Registry(
    "market_kind",
    {
        "ride_hailing": "gigbench.market.kind.ride_hailing:RideHailing",
        "freelance": "gigbench.market.kind.freelance:Freelance",
    },
    check=plugin_check(MarketKind),
    group="gigbench.market_kinds",
)
