"""The lazy solver registry: names map to ``"module:Class"`` strings, imported on first use.

Adding a solver: one file in ``solvers/``, one line in ``_BUILTIN`` below and one
``configs/solver/<name>.yaml``. Plugins outside the package call :func:`register`.
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import Any

from solvers.base import Solver

__all__ = ["UnknownSolverError", "available_solvers", "get_solver", "register", "solver_class"]

_BUILTIN: dict[str, str] = {
    "broadcast": "solvers.broadcast:Broadcast",
    "greedy": "solvers.greedy:Greedy",
    "hungarian": "solvers.hungarian:Hungarian",
    "auction": "solvers.auction:Auction",
    "milp": "solvers.milp:Milp",
}
_REGISTRY: dict[str, str] = dict(_BUILTIN)


class UnknownSolverError(KeyError):
    """An unregistered solver name; the message lists the valid ones."""

    def __str__(self) -> str:
        return str(self.args[0])


def register(name: str, target: str, *, replace: bool = False) -> None:
    """Register ``name`` -> ``"module:Class"``; the class is imported only when used."""
    if ":" not in target:
        raise ValueError(f"target: expected 'module:Class', got {target!r}")
    if name in _REGISTRY and not replace and _REGISTRY[name] != target:
        raise ValueError(f"solver {name!r} is already registered as {_REGISTRY[name]!r}")
    _REGISTRY[name] = target


def unregister(name: str) -> None:
    """Remove a solver registered with :func:`register` (tests use this)."""
    _REGISTRY.pop(name, None)


def available_solvers() -> list[str]:
    """Registered solver names whose module exists, sorted."""
    return sorted(
        name
        for name, target in _REGISTRY.items()
        if importlib.util.find_spec(target.partition(":")[0]) is not None
    )


def solver_class(name: str) -> type[Solver]:
    """The class registered under ``name`` (imports its module)."""
    if name not in _REGISTRY or name not in available_solvers():
        raise UnknownSolverError(
            f"unknown solver {name!r}; valid solvers are: {', '.join(available_solvers())}"
        )
    module_name, _, class_name = _REGISTRY[name].partition(":")
    cls = getattr(importlib.import_module(module_name), class_name)
    if not (isinstance(cls, type) and issubclass(cls, Solver)):
        raise TypeError(f"{_REGISTRY[name]} is not a solvers.Solver subclass")
    return cls


def get_solver(name: str, **params: Any) -> Solver:
    """A new solver instance; unknown names and parameters raise errors listing valid ones."""
    return solver_class(name)(**params)
