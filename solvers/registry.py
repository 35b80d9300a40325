"""One lazy registry pattern for every plugin kind: a name maps to a ``"module:attribute"``
string, imported on first use, so listing or configuring plugins never loads a heavy
dependency (ortools, numba).

The same :class:`Registry` class serves solvers (here), generators (``instances``) and the
market's pricing policies, objectives, repositioning, supply and pay rules (``gigbench.market``);
an unknown name always raises :class:`UnknownNameError`, listing the valid names. It knows
nothing about gigs, which is why it lives on the bottom floor, in ``solvers``.

Built-ins are the registry's own targets. Other distributions add plugins by Python entry
points in the registry's ``group`` (``gigbench.solvers``, ``gigbench.pricing``, ...): listed
without importing anything, loaded on first use. A plugin that cannot serve (its module does not
import, its attribute is missing or of the wrong kind, its ``Params`` are unusable, or another
distribution or a built-in has its name) raises :class:`PluginError`, one line naming the
plugin, its entry point and its distribution.

Adding a built-in solver: one file in ``solvers/``, one line in ``SOLVERS`` below and one
``configs/solver/<name>.yaml``. From another package: an entry point in ``gigbench.solvers``.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import importlib
import importlib.util
import sys
import typing
from importlib import metadata
from pathlib import Path
from typing import Any, Generic, TypeVar

__all__ = [
    "SOLVERS",
    "ParamsError",
    "PluginError",
    "Registry",
    "UnknownNameError",
    "available_solvers",
    "check_params",
    "checked",
    "described",
    "entry_points_of",
    "get_solver",
    "need",
    "origin",
    "register",
    "solver_class",
    "source_files",
]

T = TypeVar("T")


class UnknownNameError(KeyError):
    """A name no registry knows; the message lists the valid ones."""

    def __str__(self) -> str:
        return str(self.args[0])


class PluginError(Exception):
    """An installed plugin that cannot serve; the message names the plugin, its entry point and
    its distribution, and what is wrong with it."""


class ParamsError(ValueError):
    """A parameter out of range: the message names the key, what was expected and what was
    got (and, where one helps, the fix)."""


def need(ok: bool, key: str, expected: str, got: Any, fix: str = "") -> None:
    """Raise :class:`ParamsError` ``"<key>: expected <expected>, got <got!r>[; <fix>]"`` unless
    ``ok``: the one shape of every parameter check (a ``Params.check()`` is a list of these)."""
    if not ok:
        raise ParamsError(f"{key}: expected {expected}, got {got!r}" + (f"; {fix}" if fix else ""))


def checked(params: T) -> T:
    """``params`` after its ``check()`` method, if it has one: the one place a frozen
    ``Params`` (a solver's, a generator's, a market plugin's, the simulation's settings) is
    checked. Building a ``Params`` only converts types; its values are checked here, at the
    public boundary that receives them."""
    check = getattr(params, "check", None)
    if callable(check):
        check()
    return params


class Registry(Generic[T]):
    """Names -> ``"module:attribute"`` targets of one plugin ``kind``, imported lazily, plus the
    plugins other distributions declare as entry points in ``group``.

    ``check`` (optional) is called on every loaded object and raises ``TypeError`` (or
    ``ValueError``) when it is not the expected kind of thing.
    """

    def __init__(
        self, kind: str, targets: dict[str, str], check: Any = None, group: str | None = None
    ) -> None:
        self.kind = kind
        self.group = group
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

    def plugins(self) -> dict[str, metadata.EntryPoint]:
        """The entry points of other distributions in this registry's group, by name (nothing
        is imported). A name that a built-in or a second distribution also has is refused: which
        one a config means would depend on the order of ``sys.path``."""
        found: dict[str, metadata.EntryPoint] = {}
        for entry in entry_points_of(self.group) if self.group else ():
            if entry.name in self._targets:
                raise PluginError(
                    f"{self.kind} {entry.name!r} of {origin(entry)} has the name of gigbench's "
                    f"own {self.kind} {entry.name!r} ({self._targets[entry.name]}); rename the "
                    f'entry point in {_dist_name(entry)}\'s [project.entry-points."{self.group}"]'
                )
            if entry.name in found:
                raise PluginError(
                    f"{self.kind} {entry.name!r} is installed twice, by {origin(found[entry.name])}"
                    f" and by {origin(entry)}; uninstall one or rename its entry point"
                )
            found[entry.name] = entry
        return found

    def names(self) -> list[str]:
        """Built-in names whose module can be found and installed plugins' names, sorted."""
        builtin = (
            name
            for name, target in self._targets.items()
            if importlib.util.find_spec(_split(target)[0]) is not None
        )
        return sorted({*builtin, *self.plugins()})

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name in self.names()

    def load(self, name: str) -> T:
        """The object registered under ``name`` (imports its module)."""
        plugins = self.plugins()
        if isinstance(name, str) and name in plugins:
            return self._load_plugin(plugins[name])
        if not isinstance(name, str) or name not in self.names():
            valid = ", ".join(self.names())
            raise UnknownNameError(
                f"unknown {self.kind} {name!r}; valid {self.kind} names are: {valid}"
            )
        module_name, attribute = _split(self._targets[name])
        loaded = getattr(importlib.import_module(module_name), attribute)
        if self._check is not None:
            self._check(loaded)
        return loaded

    def _load_plugin(self, entry: metadata.EntryPoint) -> T:
        label = f"{self.kind} {entry.name!r} ({origin(entry)})"
        if not entry.attr:
            raise PluginError(f"{label}: expected the entry point's value 'module:attribute'")
        try:
            loaded = importlib.import_module(entry.module)
        except (ImportError, SyntaxError) as exc:
            first = (str(exc).splitlines() or [type(exc).__name__])[0]
            raise PluginError(
                f"{label}: cannot import module {entry.module!r}: {type(exc).__name__}: {first}"
            ) from exc
        for part in entry.attr.split("."):
            if not hasattr(loaded, part):
                raise PluginError(
                    f"{label}: module {entry.module!r} has no attribute {entry.attr!r}; fix the "
                    "entry point or the name in the module"
                )
            loaded = getattr(loaded, part)
        if self._check is not None:
            try:
                self._check(loaded)
            except (TypeError, ValueError) as exc:
                raise PluginError(f"{label}: {exc}") from exc
        return loaded

    def provenance(self, name: str) -> dict[str, str] | None:
        """Where plugin ``name`` comes from: its entry point, distribution, version and the
        sha256 of its sources (:func:`source_hash`); None for a built-in."""
        entry = self.plugins().get(name)
        if entry is None:
            return None
        return {
            "entry_point": f"{entry.name} = {entry.value}",
            "distribution": _dist_name(entry),
            "version": _dist_version(entry),
            "source_sha256": source_hash(entry.module),
        }


def entry_points_of(group: str) -> tuple[metadata.EntryPoint, ...]:
    """The entry points installed in ``group``; read once per ``sys.path`` (a folder added to
    it is searched again), nothing imported."""
    return tuple(_installed(tuple(sys.path)).select(group=group))


@functools.cache
def _installed(path: tuple[str, ...]) -> Any:
    # One pass over every distribution's metadata (30 ms in a venv of 100 distributions),
    # whatever the number of registries asking; ``select`` then reads it.
    return metadata.entry_points()


def _dist_name(entry: metadata.EntryPoint) -> str:
    return getattr(entry.dist, "name", None) or "an unnamed distribution"


def _dist_version(entry: metadata.EntryPoint) -> str:
    return getattr(entry.dist, "version", None) or "unknown"


def origin(entry: metadata.EntryPoint) -> str:
    """``entry point 'x = m:C' of distribution d 1.0``."""
    return (
        f"entry point '{entry.name} = {entry.value}' of distribution {_dist_name(entry)} "
        f"{_dist_version(entry)}"
    )


def source_files(module: str) -> list[Path]:
    """The ``.py`` files of the top-level package of ``module`` (the module's own file when it
    is a top-level module), found without importing it."""
    return [path for _, path in _sources(module)]


def _sources(module: str) -> list[tuple[str, Path]]:
    """(path relative to the folder holding the top-level package, path) of each source file."""
    try:
        spec = importlib.util.find_spec(module.partition(".")[0])
    except (ImportError, ValueError):  # a parent that fails to import; __main__
        return []
    if spec is None:
        return []
    if spec.submodule_search_locations:
        roots = [Path(root) for root in spec.submodule_search_locations]
        return sorted(
            (path.relative_to(root.parent).as_posix(), path)
            for root in roots
            for path in root.rglob("*.py")
        )
    file = Path(spec.origin) if spec.origin else None
    return [(file.name, file)] if file is not None and file.is_file() else []


@functools.cache
def source_hash(module: str) -> str:
    """sha256 of the sources of ``module``'s top-level package: each ``.py`` file's path
    within it and its bytes (so the same code installed elsewhere has the same hash). The whole
    package, not the module alone: a plugin's class imports its helpers (kernels, shared code)
    from beside it, and an edit there changes what it computes too. Once per process: a process
    runs the code it imported first."""
    digest = hashlib.sha256()
    for name, path in _sources(module):
        digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def check_params(params_cls: Any, *, defaults: bool = True) -> None:
    """Raise ``TypeError`` unless ``params_cls`` is a dataclass whose field types resolve (it
    becomes a config schema), and with ``defaults`` ``ValueError`` (or the check's own error)
    unless its defaults pass its ``check()``."""
    if not (isinstance(params_cls, type) and dataclasses.is_dataclass(params_cls)):
        raise TypeError(
            f"expected its Params to be a @dataclass(frozen=True) class, got {params_cls!r}"
        )
    try:
        typing.get_type_hints(params_cls)
    except Exception as exc:  # an annotation naming anything unresolvable
        raise TypeError(f"the field types of its Params do not resolve: {exc}") from exc
    if not defaults:
        return
    try:
        checked(params_cls())
    except (TypeError, ValueError) as exc:
        raise ValueError(f"its default Params fail their check: {exc}") from exc


def described(obj: Any) -> str:
    """``class Foo``, ``function foo`` or the type of anything else, for error messages."""
    if isinstance(obj, type):
        return f"class {obj.__module__}.{obj.__qualname__}"
    if callable(obj) and hasattr(obj, "__qualname__"):
        return f"function {obj.__module__}.{obj.__qualname__}"
    return f"a {type(obj).__name__} ({obj!r:.60})"


def _split(target: str) -> tuple[str, str]:
    module_name, colon, attribute = str(target).partition(":")
    if not colon or not module_name or not attribute:
        raise ValueError(f"target: expected 'module:attribute', got {target!r}")
    return module_name, attribute


def _is_solver(cls: Any) -> None:
    from gigbench.solvers.base import Solver

    if not (isinstance(cls, type) and issubclass(cls, Solver)):
        raise TypeError(f"expected a gigbench.solvers.Solver subclass, got {described(cls)}")
    check_params(cls.Params)


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
    group="gigbench.solvers",
)


def register(name: str, target: str, *, replace: bool = False) -> None:
    """Register a solver ``name`` -> ``"module:Class"`` in this process (tests, notebooks;
    other packages declare an entry point in ``gigbench.solvers`` instead)."""
    SOLVERS.register(name, target, replace=replace)


def unregister(name: str) -> None:
    """Remove a solver registered with :func:`register` (tests use this)."""
    SOLVERS.unregister(name)


def available_solvers() -> list[str]:
    """Registered solver names whose module exists, and installed solver plugins, sorted."""
    return SOLVERS.names()


def solver_class(name: str) -> type:
    """The solver class registered under ``name`` (imports its module)."""
    return SOLVERS.load(name)


def get_solver(name: str, **params: Any) -> Any:
    """A new solver instance; unknown names and parameters raise errors listing valid ones."""
    return solver_class(name)(**params)
