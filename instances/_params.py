"""Shared coercion and checks for generator ``Params`` dataclasses (private).

Hydra hands generators OmegaConf containers and YAML numbers: ints where floats are meant,
lists where tuples are meant. :func:`coerce_fields` (a params class's ``__post_init__``) turns
every field into the type its annotation names (``float``, ``int``, ``bool``, ``str``,
``tuple[float, ...]``, ``tuple[str, ...]``) or raises ``TypeError`` naming the field, what was
expected and what came. Values are checked by the params' ``check()`` (called by
:func:`gigbench.solvers.registry.checked` where params are received), a list of :class:`Checker`
calls: each raises :class:`gigbench.solvers.registry.ParamsError` like every parameter check.
"""

from __future__ import annotations

import dataclasses
import math
import typing
from collections.abc import Sequence
from typing import Any

import numpy as np

from gigbench.solvers.registry import need

__all__ = ["Checker", "coerce_fields"]


def _number(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.number):
        raise TypeError(f"{name}: expected a number, got {type(value).__name__} {value!r}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name}: expected a finite number, got {value}")
    return value


def _coerce(name: str, hint: Any, value: Any) -> Any:
    if hint is float:
        return _number(name, value)
    if hint is bool:
        if not isinstance(value, bool | np.bool_):
            raise TypeError(f"{name}: expected true or false, got {type(value).__name__} {value!r}")
        return bool(value)
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int | np.integer):
            raise TypeError(f"{name}: expected an int, got {type(value).__name__} {value!r}")
        return int(value)
    if hint is str:
        if not isinstance(value, str):
            raise TypeError(f"{name}: expected a str, got {type(value).__name__} {value!r}")
        return value
    args = typing.get_args(hint)
    if typing.get_origin(hint) is tuple and args:
        if isinstance(value, str | bytes) or not isinstance(value, Sequence | np.ndarray):
            raise TypeError(f"{name}: expected a list, got {type(value).__name__} {value!r}")
        item = args[0]
        return tuple(_coerce(f"{name}[{i}]", item, v) for i, v in enumerate(value))
    raise TypeError(f"{name}: unsupported field type {hint!r}")  # a programming error


def coerce_fields(params: Any) -> None:
    """Convert every field of the frozen dataclass ``params`` in place to its annotated type."""
    hints = typing.get_type_hints(type(params))
    for f in dataclasses.fields(params):
        value = _coerce(f.name, hints[f.name], getattr(params, f.name))
        object.__setattr__(params, f.name, value)


class Checker:
    """``need(ok, name, expected, fix)``: :func:`gigbench.solvers.registry.need` quoting the
    field's value."""

    def __init__(self, params: Any) -> None:
        self.params = params

    def __call__(self, ok: bool, name: str, expected: str, fix: str) -> None:
        need(ok, name, expected, getattr(self.params, name), fix)

    def profile(self, name: str) -> None:
        """A 24-value profile of weights >= 0 with a positive sum."""
        values = getattr(self.params, name)
        self(len(values) == 24, name, "24 values, one per hour", "list all 24 hours")
        self(
            all(v >= 0 for v in values) and sum(values) > 0,
            name,
            "weights >= 0 with a positive sum",
            "give some hour a positive weight",
        )

    def speeds(self, name: str) -> None:
        """24 speeds > 0 (km/h)."""
        values = getattr(self.params, name)
        self(
            len(values) == 24 and all(v > 0 for v in values),
            name,
            "24 speeds > 0 km/h, one per hour",
            "list all 24 hours",
        )

    def low_high(self, name: str, low: float = 0.0) -> None:
        """A ``(min, max)`` pair with ``low <= min <= max``."""
        pair = getattr(self.params, name)
        self(
            len(pair) == 2 and low <= pair[0] <= pair[1],
            name,
            f"(min, max) with {low:g} <= min <= max",
            "give two numbers, e.g. [4, 10]",
        )

    def shift_hours(self, name: str = "shift_hours") -> None:
        """A ``(min, max)`` shift length in hours with ``0 <= min <= max`` and ``max > 0``."""
        self.low_high(name)
        self(getattr(self.params, name)[1] > 0, name, "a positive maximum", "e.g. [4, 10]")

    def groups(self, labels: str = "group_labels", shares: str = "group_shares") -> None:
        """Distinct worker group labels (at least one) and one share >= 0 per label, sum > 0."""
        names, weights = getattr(self.params, labels), getattr(self.params, shares)
        self(
            len(names) >= 1 and len(set(names)) == len(names),
            labels,
            "at least one distinct label",
            'e.g. ["A", "B"]',
        )
        self(
            len(weights) == len(names) and all(w >= 0 for w in weights) and sum(weights) > 0,
            shares,
            f"{len(names)} shares >= 0 (one per label) with a positive sum",
            "give one share per group label",
        )

    def share(self, name: str) -> None:
        """A share in [0, 1]."""
        self(0 <= getattr(self.params, name) <= 1, name, "a share in [0, 1]", "e.g. 0.4")

    def positive(self, *names: str) -> None:
        """Each field > 0."""
        for name in names:
            self(getattr(self.params, name) > 0, name, "> 0", "give a positive number")

    def non_negative(self, *names: str) -> None:
        """Each field >= 0."""
        for name in names:
            self(getattr(self.params, name) >= 0, name, ">= 0", "use 0 to switch it off")
