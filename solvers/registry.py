"""One lazy registry pattern for every plugin kind: a name maps to a ``"module:attribute"``
string, imported on first use, so listing or configuring plugins never loads a heavy
dependency (ortools, numba).

The same :class:`Registry` class serves solvers (here), generators (``instances``) and the
market's pricing policies, objectives, repositioning, supply and pay rules (``gigbench.market``);
an unknown name always raises :class:`UnknownNameError`, listing the valid names. It knows
nothing about gigs, which is why it lives on the bottom floor, in ``solvers``.

Adding a solver: one file in ``solvers/``, one line in ``SOLVERS`` below and one
``configs/solver/<name>.yaml``. Plugins outside the package call :func:`register`.
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import Any, Generic, TypeVar

__all__ = [
    "SOLVERS",
    "Registry",
    "UnknownNameError",
    "available_solvers",
    "get_solver",
    "register",
    "solver_class",
]

T = TypeVar("T")


class UnknownNameError(KeyError):
    """A name no registry knows; the message lists the valid ones."""

    def __str__(self) -> str:
        return str(self.args[0])


class Registry(Generic[T]):
    """Names -> ``"module:attribute"`` targets of one plugin ``kind``, imported lazily.

    ``check`` (optional) is called on every loaded object and raises ``TypeError`` when it is
    not the expected kind of thing.
    """

    def __init__(self, kind: str, targets: dict[str, str], check: Any = None) -> None:
        self.kind = kind
        self._targets = dict(targets)
        self._check = check
        for target in targets.values():
            _split(target)

    def register(self, name: str, target: str, *, replace: bool = False) -> None:
        """Add ``name`` -> ``"module:attribute"``; the module is imported only when used."""
        _split(target)
        if name in self._targets and not replace and self._targets[name] != target:
            raise ValueError(
                f"{self.kind} {name!r} is already registered as {self._targets[name]!r}; "
                "pass replace=True to override it"
            )
        self._targets[name] = target

    def unregister(self, name: str) -> None:
        """Remove ``name`` (tests use this)."""
        self._targets.pop(name, None)

    def names(self) -> list[str]:
        """Registered names whose module can be found, sorted."""
        return sorted(
            name
            for name, target in self._targets.items()
            if importlib.util.find_spec(_split(target)[0]) is not None
        )

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name in self.names()

    def load(self, name: str) -> T:
        """The object registered under ``name`` (imports its module)."""
        if not isinstance(name, str) or name not in self.names():
            valid = ", ".join(self.names())
            raise UnknownNameError(
                f"unknown {self.kind} {name!r}; valid {self.kind} names are: {valid}"
            )
        module_name, attribute = _split(self._targets[name])
        loaded = getattr(importlib.import_module(module_name), attribute)
        if self._check is not None:
            self._check(loaded, self._targets[name])
        return loaded


def _split(target: str) -> tuple[str, str]:
    module_name, colon, attribute = str(target).partition(":")
    if not colon or not module_name or not attribute:
        raise ValueError(f"target: expected 'module:attribute', got {target!r}")
    return module_name, attribute


def _is_solver(cls: Any, target: str) -> None:
    from gigbench.solvers.base import Solver

    if not (isinstance(cls, type) and issubclass(cls, Solver)):
        raise TypeError(f"{target} is not a gigbench.solvers.Solver subclass")


SOLVERS: Registry[type] = Registry(
    "solver",
    {
        "broadcast": "gigbench.solvers.broadcast:Broadcast",
        "greedy": "gigbench.solvers.greedy:Greedy",
        "hungarian": "gigbench.solvers.hungarian:Hungarian",
        "auction": "gigbench.solvers.auction:Auction",
        "milp": "gigbench.solvers.milp:Milp",
    },
    check=_is_solver,
)


def register(name: str, target: str, *, replace: bool = False) -> None:
    """Register a solver ``name`` -> ``"module:Class"``."""
    SOLVERS.register(name, target, replace=replace)


def unregister(name: str) -> None:
    """Remove a solver registered with :func:`register` (tests use this)."""
    SOLVERS.unregister(name)


def available_solvers() -> list[str]:
    """Registered solver names whose module exists, sorted."""
    return SOLVERS.names()


def solver_class(name: str) -> type:
    """The solver class registered under ``name`` (imports its module)."""
    return SOLVERS.load(name)


def get_solver(name: str, **params: Any) -> Any:
    """A new solver instance; unknown names and parameters raise errors listing valid ones."""
    return solver_class(name)(**params)
