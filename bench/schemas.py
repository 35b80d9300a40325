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
from omegaconf.errors import OmegaConfBaseException

from gigbench.kinds import KINDS, Kind
from gigbench.market.places import MARKETS, MarketConfig
from gigbench.sim.config import SimulateConfig
from gigbench.solvers.registry import PluginError


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


def plugin_params(kind: Kind, plugin: Any) -> type:
    """The ``Params`` dataclass of a loaded plugin of ``kind`` (a generator's is the annotation
    of its ``params`` argument)."""
    if kind.name == "generator":
        return typing.get_type_hints(plugin)["params"]
    return plugin.Params


def plugin_schema(kind: Kind, name: str, plugin: Any) -> type:
    """The config schema of plugin ``name`` of ``kind``: ``name`` (and a generator's
    ``seed``), then the fields of its ``Params``."""
    extra = [("name", str, dataclasses.field(default=name))]
    if kind.name == "generator":
        extra.append(("seed", int, dataclasses.field(default=0)))
    return _schema(f"{name.title()}{kind.name.title()}Schema", plugin_params(kind, plugin), extra)


def register_schemas() -> list[PluginError]:
    """Store every schema in Hydra's ConfigStore (idempotent); return the errors of installed
    plugins that could not be loaded (they get no schema; choosing one raises its error)."""
    store = ConfigStore.instance()
    store.store(group="mode", name="simulate_schema", node=SimulateConfig)
    store.store(group="mode", name="static_schema", node=StaticConfig)
    store.store(name="market_schema", node=MarketConfig, group="market")
    for name, market in MARKETS.items():  # configs/market/<name>.yaml: the figures of places.py
        store.store(name=f"{name}_schema", node=market, group="market")
    broken = []
    for kind in KINDS.values():
        if kind.config_group is None:  # chosen by the scenario, not by a config group
            continue
        registry = kind.registry()
        for name in registry.names():
            try:
                plugin = registry.load(name)
            except PluginError as exc:
                broken.append(exc)
                continue
            if getattr(plugin, "config_aliases", None):  # a key that is no Python name: YAML
                continue
            try:
                store.store(
                    group=kind.config_group,
                    name=f"{name}_schema",
                    node=plugin_schema(kind, name, plugin),
                )
            except OmegaConfBaseException as exc:  # a field type OmegaConf has no node for
                raise PluginError(
                    f"{kind.name} {name!r}: its Params cannot be a config schema: "
                    f"{str(exc).splitlines()[0]}; use bool, int, float, str, lists or tuples "
                    "of them, or None"
                ) from exc
    return broken
