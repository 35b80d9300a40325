"""The base of every market plugin, and how a config node becomes one.

A plugin is a class with a ``kind`` (``pricing``, ``objective``, ...), a ``name``, a frozen
``Params`` dataclass (its Hydra schema; a ``check()`` method rejects bad values) and methods for
its stage. Each kind keeps its plugins in one :class:`gigbench.solvers.registry.Registry`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any, ClassVar, TypeVar

from gigbench.solvers.base import with_overrides
from gigbench.solvers.registry import Registry, check_params, described

__all__ = ["Plugin", "build", "plugin_check"]

P = TypeVar("P", bound="Plugin")


class Plugin:
    """Base class: subclasses set ``kind``, ``name`` and ``Params``.

    ``config_aliases`` maps a config key to a field whose Python name differs (``lambda`` is a
    reserved word, so the ``fair`` objective's ``objective.lambda`` fills its ``lam`` field).
    """

    kind: ClassVar[str] = "plugin"
    name: ClassVar[str] = ""
    config_aliases: ClassVar[dict[str, str]] = {}

    @dataclasses.dataclass(frozen=True)
    class Params:
        """No parameters."""

    def __init__(self, params: Any | None = None, **overrides: Any) -> None:
        self.params = with_overrides(self.Params, params, overrides, f"{self.kind} {self.name!r}")

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.params})"


def plugin_check(base: type) -> Any:
    """A registry ``check`` accepting only subclasses of ``base`` whose ``Params`` are a
    dataclass with valid defaults (and, outside gigbench, no ``config_aliases``: the renamed
    keys live in gigbench's own YAML files)."""

    def check(cls: Any) -> None:
        if not (isinstance(cls, type) and issubclass(cls, base)):
            raise TypeError(
                f"expected a {base.__module__}.{base.__name__} subclass, got {described(cls)}"
            )
        if cls.config_aliases and not cls.__module__.startswith("gigbench."):
            raise TypeError(
                f"config_aliases {cls.config_aliases} need a YAML file in gigbench's configs; "
                "name the Params fields as their config keys instead"
            )
        check_params(cls.Params)

    return check


def build(registry: Registry[type[P]], node: Mapping[str, Any]) -> P:
    """The plugin a config node names (``{"name": ..., <params>}``), with its parameters."""
    values = dict(node)
    cls = registry.load(values.pop("name", None))
    for key, field in cls.config_aliases.items():
        if key in values:
            values[field] = values.pop(key)
    return cls(**values)
