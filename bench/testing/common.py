"""Checks every class-based plugin passes (solvers and the market's kinds): its name, its
docstrings, its ``Params`` as a frozen config schema, and what its constructor accepts."""

from __future__ import annotations

import dataclasses
from typing import Any

from gigbench.testing.core import Check, Failed, Skipped, Subject

__all__ = ["CLASS_CHECKS", "expect_same_arrays", "expect_untouched", "snapshot"]


def _name(subject: Subject) -> None:
    """Its ``name`` is the name it is registered under (rows and logs print ``name``)."""
    cls = subject.load()
    if cls.name != subject.name:
        raise Failed(f"name = {subject.name!r}, the name it is registered under", repr(cls.name))


def _docstrings(subject: Subject) -> None:
    """The class and its ``Params`` say what they are (``--help`` and the docs read them)."""
    cls = subject.load()
    for owner in (cls, cls.Params):
        if not (owner.__doc__ or "").strip():
            raise Failed(f"a docstring on {owner.__qualname__}", "none")


def _params_schema(subject: Subject) -> None:
    """``Params`` is a frozen dataclass that makes a config schema, and the subject's
    parameters fit that schema (their types are the fields')."""
    from omegaconf import OmegaConf
    from omegaconf.errors import OmegaConfBaseException

    from gigbench.kinds import KINDS
    from gigbench.schemas import plugin_schema

    cls = subject.load()
    defaults = cls.Params()
    try:
        defaults._conformance_probe = 1  # a frozen dataclass refuses any attribute
    except dataclasses.FrozenInstanceError:
        pass
    else:
        raise Failed("@dataclass(frozen=True) Params (a run's parameters never change)", "mutable")
    if getattr(cls, "config_aliases", None):  # gigbench's own only (the registry refuses others')
        raise Skipped("its config keys are renamed: its schema is its YAML file")
    try:
        schema = OmegaConf.structured(plugin_schema(KINDS[subject.kind], subject.name, cls))
        OmegaConf.merge(schema, dict(subject.params))
    except OmegaConfBaseException as exc:
        raise Failed(
            "Params fields of config types (bool, int, float, str, lists)", str(exc)
        ) from exc


def _builds(subject: Subject) -> None:
    """It builds with its defaults and with the subject's parameters."""
    for overrides in ({}, dict(subject.params)):
        try:
            subject.load()(**overrides)
        except (TypeError, ValueError) as exc:
            raise Failed(f"a plugin built from {overrides or 'its defaults'}", repr(exc)) from exc


def _unknown_parameter(subject: Subject) -> None:
    """A parameter it does not have is refused with a TypeError that lists the valid ones
    (``with_overrides``, which the base classes call)."""
    try:
        subject.build(no_such_parameter=1)
    except TypeError as exc:
        if "no_such_parameter" not in str(exc):
            raise Failed("a TypeError naming 'no_such_parameter'", repr(exc)) from None
        return
    raise Failed("a TypeError for no_such_parameter=1", "a plugin built without complaint")


CLASS_CHECKS = [
    Check("name", _name),
    Check("docstrings", _docstrings),
    Check("params_schema", _params_schema),
    Check("builds", _builds),
    Check("unknown_parameter", _unknown_parameter),
]


def snapshot(*values: Any) -> list[Any]:
    """Copies of the arrays among ``values`` (and inside dataclasses), to compare later."""
    import numpy as np

    out = []
    for value in values:
        if dataclasses.is_dataclass(value):
            out.append(snapshot(*(getattr(value, f.name) for f in dataclasses.fields(value))))
        elif isinstance(value, np.ndarray):
            out.append(value.copy())
        else:
            out.append(value)
    return out


def expect_untouched(before: list[Any], *values: Any) -> None:
    """Fail when an input array changed since :func:`snapshot` (a plugin writes only its own
    state)."""
    after = snapshot(*values)
    if not _equal(before, after):
        raise Failed("its inputs left as they were", "an input array changed in place")


def _equal(a: Any, b: Any) -> bool:
    import numpy as np

    if isinstance(a, list):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, np.ndarray):
        return a.shape == b.shape and np.array_equal(a, b, equal_nan=a.dtype.kind == "f")
    return True  # scalars and objects: not arrays a plugin could write to


def expect_same_arrays(what: str, first: Any, second: Any) -> None:
    """Fail unless two runs' arrays (or dicts of arrays) are equal: ``what`` is deterministic."""
    import numpy as np

    if isinstance(first, dict):
        same = first.keys() == second.keys() and all(
            np.array_equal(first[k], second[k]) for k in first
        )
    else:
        same = np.array_equal(first, second)
    if not same:
        raise Failed(f"{what} the same for the same inputs", "different results")
