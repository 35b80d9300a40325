"""The generator registry: a name -> (params dataclass, generate function), imported lazily.

Adding a generator: one module in ``instances/`` with a frozen params dataclass and a pure
``generate_<name>(params, seed) -> Scenario``, one line in ``_BUILTIN`` below and one
``configs/instance/<name>.yaml``.
"""

from __future__ import annotations

import dataclasses
import importlib
import importlib.util
from collections.abc import Mapping, Sequence
from typing import Any

from instances.scenario import Scenario

__all__ = ["UnknownGeneratorError", "available_generators", "generate", "generator_params"]

# name -> ("module", "ParamsClass", "function")
_BUILTIN: dict[str, tuple[str, str, str]] = {
    "city": ("instances.city", "CityParams", "generate_city"),
    "freelance": ("instances.freelance", "FreelanceParams", "generate_freelance"),
    "jakarta_car": ("instances.presets", "JakartaCarParams", "generate_jakarta_car"),
    "jakarta_ojol": ("instances.presets", "JakartaOjolParams", "generate_jakarta_ojol"),
    "nyc": ("instances.presets", "NycParams", "generate_nyc"),
    "replay": ("instances.tlc", "ReplayParams", "generate_replay"),
}


class UnknownGeneratorError(KeyError):
    """An unregistered generator name; the message lists the valid ones."""

    def __str__(self) -> str:
        return str(self.args[0])


def available_generators() -> list[str]:
    """Registered generator names whose module exists, sorted."""
    return sorted(
        name for name, (module, _, _) in _BUILTIN.items() if importlib.util.find_spec(module)
    )


def _lookup(name: str) -> tuple[type, Any]:
    if name not in _BUILTIN:
        raise UnknownGeneratorError(
            f"unknown generator {name!r}; valid generators are: {', '.join(available_generators())}"
        )
    module_name, params_name, function_name = _BUILTIN[name]
    module = importlib.import_module(module_name)
    return getattr(module, params_name), getattr(module, function_name)


def generator_params(name: str) -> type:
    """The params dataclass of generator ``name`` (its Hydra schema fields)."""
    return _lookup(name)[0]


def _plain(value: Any) -> Any:
    """Config containers (OmegaConf ListConfig, tuples) as plain lists."""
    if isinstance(value, Sequence) and not isinstance(value, str | bytes):
        return [_plain(item) for item in value]
    return value


def generate(name: str, params: Mapping[str, Any] | None, seed: int) -> Scenario:
    """Run generator ``name`` with ``params`` (missing keys take their defaults) and ``seed``.

    Unknown names raise :class:`UnknownGeneratorError` (a ``KeyError``) listing the valid
    ones; unknown parameter names raise ``TypeError`` listing the valid keys. Strip Hydra's
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
    return function(params_class(**values), seed)
