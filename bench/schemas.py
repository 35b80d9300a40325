"""Structured-config schemas: a typo in a key fails when the config is composed.

Every solver's and generator's ``Params`` dataclass is its schema: this module turns each into
a ConfigStore node ``<group>/<name>_schema`` with a ``name`` key, so adding a solver needs no
edit here.
"""

from __future__ import annotations

import dataclasses
import typing
from typing import Any

from hydra.core.config_store import ConfigStore

from bench.pricing import POLICIES
from instances.generators import available_generators, generator_params
from solvers import available_solvers, solver_class


@dataclasses.dataclass
class MarketConfig:
    """The market's currency, the worker's vehicle cost and the minimum wage fairness is
    measured against (fares and commission are the ``pricing`` group's)."""

    name: str = "nyc"
    currency: str = "USD"
    cost_per_km: float = 0.25
    min_wage_per_h: float = 16.50


@dataclasses.dataclass
class SimulateConfig:
    """Closed-loop simulation: a batch every ``interval_s``; each open task sees its ``k``
    nearest idle workers within ``radius_km`` (straight line times ``detour``)."""

    name: str = "simulate"
    interval_s: float = 30.0
    k: int = 10
    radius_km: float = 3.0
    detour: float = 1.3
    progress: bool = False
    record: bool = False


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
    for name, policy in POLICIES.items():
        extra = [("name", str, dataclasses.field(default=name))]
        schema = _schema(f"{name.title()}PricingSchema", policy.Params, extra)
        store.store(group="pricing", name=f"{name}_schema", node=schema)
    store.store(name="market_schema", node=MarketConfig, group="market")
