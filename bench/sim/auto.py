"""The ``auto`` choices, resolved in one place from the scenario's typed metadata.

A scenario describes its market (:class:`gigbench.instances.ScenarioMeta`); the simulation maps
those facts to its own choices:

| config | fact | choice |
|---|---|---|
| ``market=auto`` | ``currency`` | the market in it (:data:`gigbench.market.places.MARKETS`) |
| ``pricing=auto`` | ``fares`` | ``recorded`` (replayed trips): ``observed``; else ``tariff`` |
| ``reposition=auto`` | ``idle_drivers`` | ``seek_demand``: ``demand``; ``wait``: ``none`` |

Before a scenario exists (a config checked before any run) ``pricing=auto`` is ``tariff``,
``reposition=auto`` is ``none`` and ``market=auto`` keeps its placeholders. A market named
explicitly in another currency than the scenario's is refused.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from gigbench.errors import ConfigError
from gigbench.instances.meta import ScenarioMeta
from gigbench.market.places import MARKETS, market_of_currency

__all__ = ["PRICING_FOR_FARES", "REPOSITION_FOR_DRIVERS", "resolve_auto"]

PRICING_FOR_FARES = {"tariff": "tariff", "recorded": "observed"}
REPOSITION_FOR_DRIVERS = {"wait": "none", "seek_demand": "demand"}


def resolve_auto(plain: Mapping[str, Any], info: ScenarioMeta | None) -> dict[str, Any]:
    """``plain`` (a composed config as plain dicts) with ``market``, ``pricing`` and
    ``reposition`` ``auto`` replaced for the scenario described by ``info`` (module docs)."""
    resolved = dict(plain)
    resolved["market"] = _market(plain["market"], info)
    resolved["pricing"] = _pricing(plain["pricing"], info)
    resolved["reposition"] = _reposition(plain.get("reposition"), info)
    return resolved


def _market(node: Mapping[str, Any], info: ScenarioMeta | None) -> dict[str, Any]:
    """The market of the scenario's currency for ``auto``; a named one in another currency is
    refused."""
    market = dict(node)
    if info is None:
        return market
    currency = info.currency
    if market.get("name") == "auto":
        name = market_of_currency(currency)
        if name is None:
            known = sorted({m.currency for m in MARKETS.values()})
            raise ConfigError(
                f"market=auto knows the markets of {known}, the instance is priced in "
                f"{currency!r}; pass market=<name> with its currency, cost and minimum wage"
            )
        return dataclasses.asdict(MARKETS[name])
    if market.get("currency") and currency != market["currency"]:
        raise ConfigError(
            f"the instance is priced in {currency} but market {market['name']!r} in "
            f"{market['currency']}; choose a market in {currency} (e.g. market=jakarta for IDR, "
            "market=nyc for USD)"
        )
    return market


def _pricing(node: Mapping[str, Any], info: ScenarioMeta | None) -> dict[str, Any]:
    """``auto``'s other keys (``preset``, ``commission``) go to the chosen policy."""
    node = dict(node)
    if node.get("name") == "auto":
        node["name"] = PRICING_FOR_FARES[info.fares if info else "tariff"]
    return node


def _reposition(node: Mapping[str, Any] | None, info: ScenarioMeta | None) -> dict[str, Any]:
    """A scenario's behaviour takes that policy's default parameters."""
    node = dict(node or {"name": "none"})
    if node.get("name") == "auto":
        return {"name": REPOSITION_FOR_DRIVERS[info.idle_drivers if info else "wait"]}
    return node
