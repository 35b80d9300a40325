"""Structured-config schemas: a typo in a key fails when the config is composed.

Every solver's, generator's and market plugin's ``Params`` dataclass is its schema: this module
turns each into a ConfigStore node ``<group>/<name>_schema`` with a ``name`` key, so adding a
plugin needs no edit here.
"""

from __future__ import annotations

import dataclasses
import typing
from typing import Any

from hydra.core.config_store import ConfigStore

from gigbench.instances.generators import available_generators, generator_params
from gigbench.market.objective import OBJECTIVES
from gigbench.market.pay_rule import PAY_RULES
from gigbench.market.pricing import PRICING
from gigbench.market.reposition import REPOSITIONING
from gigbench.market.supply import SUPPLY
from gigbench.sim.config import MarketConfig, SimulateConfig
from gigbench.solvers import available_solvers, solver_class

# Config group -> the registry of its plugins; each plugin's Params is its option's schema.
PLUGIN_GROUPS = {
    "pricing": PRICING,
    "objective": OBJECTIVES,
    "reposition": REPOSITIONING,
    "supply": SUPPLY,
    "pay_rule": PAY_RULES,
}


@dataclasses.dataclass
class StaticConfig:
    """Static mode: solve a fixed set of problems. ``problems``: ``random`` (dense integer
    matrices of the given ``sizes``), ``orlib`` (OR-Library files at ``path``: a file or a
    folder) or ``recording`` (the batches a simulation recorded with ``mode.record=true``)."""

    name: str = "static"
    problems: str = "random"
    path: str | None = None
    sizes: list[int] = dataclasses.field(default_factory=lambda: [100, 200])
    seed: int = 0
    repeats: int = 1


def _schema(cls_name: str, params_cls: type, extra: list[tuple[str, Any, Any]]) -> type:
    hints = typing.get_type_hints(params_cls)
    fields = list(extra)
    for f in dataclasses.fields(params_cls):
        if f.default_factory is not dataclasses.MISSING:
            spec = dataclasses.field(default_factory=f.default_factory)
        else:
            spec = dataclasses.field(default=f.default)
        fields.append((f.name, hints[f.name], spec))
    return dataclasses.make_dataclass(cls_name, fields)


def register_schemas() -> None:
    """Store every schema in Hydra's ConfigStore (idempotent)."""
    store = ConfigStore.instance()
    for name in available_solvers():
        params = solver_class(name).Params
        schema = _schema(
            f"{name.title()}SolverSchema", params, [("name", str, dataclasses.field(default=name))]
        )
        store.store(group="solver", name=f"{name}_schema", node=schema)
    for name in available_generators():
        extra = [
            ("name", str, dataclasses.field(default=name)),
            ("seed", int, dataclasses.field(default=0)),
        ]
        schema = _schema(f"{name.title()}InstanceSchema", generator_params(name), extra)
        store.store(group="instance", name=f"{name}_schema", node=schema)
    store.store(group="mode", name="simulate_schema", node=SimulateConfig)
    store.store(group="mode", name="static_schema", node=StaticConfig)
    for group, registry in PLUGIN_GROUPS.items():
        for name in registry.names():
            plugin = registry.load(name)
            if plugin.config_aliases:  # a key that is no Python name: the YAML file alone
                continue
            extra = [("name", str, dataclasses.field(default=name))]
            schema = _schema(f"{name.title()}{group.title()}Schema", plugin.Params, extra)
            store.store(group=group, name=f"{name}_schema", node=schema)
    store.store(name="market_schema", node=MarketConfig, group="market")
