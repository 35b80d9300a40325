"""The generator registry: a name -> ``"module:generate_function"``, imported lazily.

Adding a generator: one module in ``instances/`` with a frozen params dataclass and a pure
``generate_<name>(params: <Params>, seed) -> Scenario`` (the annotation of ``params`` names the
params class), one line in ``GENERATORS`` below and one ``configs/instance/<name>.yaml``; from
another package, an entry point in ``gigbench.generators``. A params class whose scenarios are
of another market kind than ``ride_hailing`` names it in a class attribute ``market_kind`` (the
kind its scenarios' metadata states), so that a config is checked against it before any run.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from gigbench.instances.scenario import Scenario
from gigbench.solvers.registry import (
    Registry,
    UnknownNameError,
    check_params,
    checked,
    described,
)

__all__ = [
    "GENERATORS",
    "UnknownNameError",
    "available_generators",
    "generate",
    "generator_params",
    "market_kind_of",
]


def _is_generator(function: Any) -> None:
    if not callable(function) or "params" not in typing.get_type_hints(function):
        raise TypeError(
            "expected a function generate(params: <Params>, seed) -> Scenario, got "
            f"{described(function)}"
        )
    # Defaults may be incomplete: a replay has no trip file until one is named.
    check_params(typing.get_type_hints(function)["params"], defaults=False)


GENERATORS: Registry[Callable[..., Scenario]] = Registry(
    "generator",
    {
        "city": "gigbench.instances.city:generate_city",
        "freelance": "gigbench.instances.freelance:generate_freelance",
        "jakarta_car": "gigbench.instances.presets:generate_jakarta_car",
        "jakarta_ojol": "gigbench.instances.presets:generate_jakarta_ojol",
        "nyc": "gigbench.instances.presets:generate_nyc",
        "replay": "gigbench.instances.tlc:generate_replay",
    },
    check=_is_generator,
    group="gigbench.generators",
)


def available_generators() -> list[str]:
    """Registered generator names whose module exists, sorted."""
    return GENERATORS.names()


def _lookup(name: str) -> tuple[type, Callable[..., Scenario]]:
    function = GENERATORS.load(name)
    return typing.get_type_hints(function)["params"], function


def generator_params(name: str) -> type:
    """The params dataclass of generator ``name`` (its Hydra schema fields)."""
    return _lookup(name)[0]


def market_kind_of(name: str) -> str:
    """The market kind of generator ``name``'s scenarios (``ride_hailing`` unless its params
    class names another in ``market_kind``)."""
    return str(getattr(generator_params(name), "market_kind", "ride_hailing"))


def _plain(value: Any) -> Any:
    """Config containers (OmegaConf ListConfig, tuples) as plain lists."""
    if isinstance(value, Sequence) and not isinstance(value, str | bytes):
        return [_plain(item) for item in value]
    return value


def generate(name: str, params: Mapping[str, Any] | None, seed: int) -> Scenario:
    """Run generator ``name`` with ``params`` (missing keys take their defaults) and ``seed``.

    Unknown names raise :class:`UnknownNameError` (a ``KeyError``) listing the valid
    ones; unknown parameter names raise ``TypeError`` listing the valid keys; a value out of
    range :class:`gigbench.solvers.registry.ParamsError` (a ``ValueError``). Strip Hydra's
    ``name`` and ``seed`` keys from an instance config before passing it as ``params``.
    """
    params_class, function = _lookup(name)
    if params is None:
        params = {}
    if not isinstance(params, Mapping):
        raise TypeError(
            f"params: expected a mapping of parameter names to values or None, got "
            f"{type(params).__name__}"
        )
    valid = [f.name for f in dataclasses.fields(params_class)]
    unknown = sorted(str(key) for key in params if key not in valid)
    if unknown:
        raise TypeError(
            f"generator {name!r}: unknown parameter(s) {', '.join(unknown)}; valid keys are: "
            f"{', '.join(valid)}"
        )
    values = {str(key): _plain(value) for key, value in params.items()}
    return function(checked(params_class(**values)), seed)
