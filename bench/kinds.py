"""Every plugin kind: its name, its config group, its entry-point group and its registry.

Bottom floor, standard library only: the command's ``--help`` lists installed plugins from here
without importing a registry; :meth:`Kind.registry` imports one when it is needed.

| kind | config group | entry-point group |
|---|---|---|
| ``solver`` | ``solver`` | ``gigbench.solvers`` |
| ``generator`` | ``instance`` | ``gigbench.generators`` |
| ``pricing`` | ``pricing`` | ``gigbench.pricing`` |
| ``objective`` | ``objective`` | ``gigbench.objectives`` |
| ``reposition`` | ``reposition`` | ``gigbench.reposition`` |
| ``supply`` | ``supply`` | ``gigbench.supply`` |
| ``pay_rule`` | ``pay_rule`` | ``gigbench.pay_rules`` |
| ``market_kind`` | none: the scenario names it | ``gigbench.market_kinds`` |
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["KINDS", "Kind", "kind_of_group", "plugin_provenance"]


@dataclass(frozen=True)
class Kind:
    """One extension point: ``name`` (what ``gigbench-conformance`` calls it), the config
    group a run chooses it in (None: the scenario chooses it), the entry-point group other
    distributions declare it in, and the ``"module:attribute"`` of its
    :class:`gigbench.solvers.registry.Registry`."""

    name: str
    config_group: str | None
    entry_group: str
    target: str

    def registry(self) -> Any:
        """The kind's registry (imports its module)."""
        module, _, attribute = self.target.partition(":")
        return getattr(importlib.import_module(module), attribute)


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind("solver", "solver", "gigbench.solvers", "gigbench.solvers.registry:SOLVERS"),
        Kind(
            "generator",
            "instance",
            "gigbench.generators",
            "gigbench.instances.generators:GENERATORS",
        ),
        Kind("pricing", "pricing", "gigbench.pricing", "gigbench.market.pricing:PRICING"),
        Kind(
            "objective", "objective", "gigbench.objectives", "gigbench.market.objective:OBJECTIVES"
        ),
        Kind(
            "reposition",
            "reposition",
            "gigbench.reposition",
            "gigbench.market.reposition:REPOSITIONING",
        ),
        Kind("supply", "supply", "gigbench.supply", "gigbench.market.supply:SUPPLY"),
        Kind("pay_rule", "pay_rule", "gigbench.pay_rules", "gigbench.market.pay_rule:PAY_RULES"),
        Kind("market_kind", None, "gigbench.market_kinds", "gigbench.market.kind:MARKET_KINDS"),
    )
}


def kind_of_group(config_group: str) -> Kind | None:
    """The kind chosen in ``config_group`` (None for a group that is no plugin kind)."""
    return next((k for k in KINDS.values() if k.config_group == config_group), None)


def plugin_provenance(config: Mapping[str, Any]) -> dict[str, dict[str, str]]:
    """For each config group of ``config`` that chose an installed plugin (not a built-in):
    its entry point, distribution, version and source hash. Part of the run's identity."""
    found = {}
    for kind in KINDS.values():
        node = config.get(kind.config_group) if kind.config_group else None
        name = node.get("name") if isinstance(node, Mapping) else None
        if isinstance(name, str):
            where = kind.registry().provenance(name)
            if where is not None:
                found[kind.config_group] = where
    return found
