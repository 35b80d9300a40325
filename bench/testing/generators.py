"""The generator suite (``generate(params: Params, seed) -> Scenario``).

A generator is a pure function of ``(params, seed)``: the same pair gives an equal scenario
(same tables, same metadata, same content hash), the global random states are left alone
(``numpy.random`` and ``random``: draw from ``numpy.random.default_rng``), another seed gives
another scenario. The scenario is valid (:class:`gigbench.instances.Scenario` checks its tables
on construction) and carries its content hash; its metadata name the generator, the seed and
params from which ``generate`` rebuilds it (the simulation draws the days after the first and
extra workers that way); the params a config composes give the same scenario as the
dataclass's own. Its ``Params`` are a frozen dataclass that makes a config schema.
"""

from __future__ import annotations

import dataclasses
import json
import random
import typing
from typing import Any

import numpy as np

from gigbench.instances import Scenario, generate
from gigbench.testing.core import Check, Failed, Skipped, Subject

__all__ = ["CHECKS"]

_MADE: dict[str, Scenario] = {}


def _made(subject: Subject) -> Scenario:
    """The subject's scenario for seed 0, generated once per process (the checks that need a
    fresh one call ``generate`` themselves)."""
    key = json.dumps([subject.name, dict(subject.params)], sort_keys=True, default=str)
    if key not in _MADE:
        _MADE[key] = generate(subject.name, subject.params, 0)
    return _MADE[key]


def _params_class(subject: Subject) -> type:
    return typing.get_type_hints(subject.load())["params"]


def _docstrings(subject: Subject) -> None:
    """The function and its ``Params`` say what they are."""
    for owner in (subject.load(), _params_class(subject)):
        if not (owner.__doc__ or "").strip():
            raise Failed(f"a docstring on {owner.__qualname__}", "none")


def _params_schema(subject: Subject) -> None:
    """``Params`` is a frozen dataclass whose config schema takes the subject's params."""
    from omegaconf import OmegaConf
    from omegaconf.errors import OmegaConfBaseException

    from gigbench.kinds import KINDS
    from gigbench.schemas import plugin_schema

    params = _params_class(subject)(**subject.params)
    try:
        params._conformance_probe = 1  # a frozen dataclass refuses any attribute
    except dataclasses.FrozenInstanceError:
        pass
    else:
        raise Failed("@dataclass(frozen=True) Params", "mutable")
    try:
        schema = plugin_schema(KINDS["generator"], subject.name, subject.load())
        OmegaConf.merge(OmegaConf.structured(schema), dict(subject.params))
    except OmegaConfBaseException as exc:
        raise Failed(
            "Params fields of config types (bool, int, float, str, lists)", str(exc)
        ) from exc


def _scenario(subject: Subject) -> None:
    """A valid scenario with its content hash; its metadata name the generator and the seed."""
    made = _made(subject)
    if not isinstance(made, Scenario):
        raise Failed("a gigbench.instances.Scenario", type(made).__name__)
    if made.meta["content_hash"] != made.compute_hash():
        raise Failed("meta content_hash = compute_hash() (return scenario.with_hash())",
                     repr(made.meta["content_hash"]))  # fmt: skip
    if made.meta["generator"] != subject.name or made.meta["seed"] != 0:
        got = f"generator={made.meta['generator']!r}, seed={made.meta['seed']!r}"
        raise Failed(f"meta generator={subject.name!r}, seed=0", got)


def _rebuilt_from_meta(subject: Subject) -> None:
    """``generate(meta["generator"], meta["params"], meta["seed"])`` gives it again."""
    made = _made(subject)
    meta = made.meta
    again = generate(meta["generator"], meta["params"], meta["seed"])
    if again != made:
        raise Failed("the same scenario from its metadata's generator, params and seed",
                     f"content hash {again.meta['content_hash']}")  # fmt: skip


def _pure(subject: Subject) -> None:
    """The same params and seed give the same scenario; the global random states stay as
    they were."""
    # The legacy global state is what a careless generator would draw from.
    numpy_state, python_state = np.random.get_state(), random.getstate()  # noqa: NPY002
    again = generate(subject.name, subject.params, 0)
    after = np.random.get_state()  # noqa: NPY002
    if not _same_state(numpy_state, after) or random.getstate() != python_state:
        raise Failed("the global random states untouched (use numpy.random.default_rng(seed))",
                     "a draw from the global state")  # fmt: skip
    if again != _made(subject):
        raise Failed("an equal scenario for the same (params, seed)", "a different one")


def _same_state(a: Any, b: Any) -> bool:
    return all(
        np.array_equal(x, y) if isinstance(x, np.ndarray) else x == y
        for x, y in zip(a, b, strict=True)
    )


def _seed_matters(subject: Subject) -> None:
    """Another seed gives another scenario."""
    made = _made(subject)
    if made.n_tasks + made.n_workers == 0:
        raise Skipped("an empty scenario: nothing for a seed to change")
    other = generate(subject.name, subject.params, 1)
    if other.meta["content_hash"] == made.meta["content_hash"]:
        raise Failed("a different scenario for seed 1 than for seed 0", "the same")


def _from_config(subject: Subject) -> None:
    """The params a config composes (the schema's defaults, lists for tuples, ints for whole
    floats) give the scenario the dataclass's own params give."""
    from omegaconf import OmegaConf

    from gigbench.kinds import KINDS
    from gigbench.schemas import plugin_schema

    schema = OmegaConf.structured(plugin_schema(KINDS["generator"], subject.name, subject.load()))
    composed = OmegaConf.to_container(OmegaConf.merge(schema, dict(subject.params)))
    params = {k: v for k, v in composed.items() if k not in ("name", "seed")}
    if generate(subject.name, params, 0) != _made(subject):
        raise Failed("the same scenario from the composed config", "a different one")


CHECKS = [
    Check("docstrings", _docstrings),
    Check("params_schema", _params_schema),
    Check("scenario", _scenario),
    Check("rebuilt_from_meta", _rebuilt_from_meta),
    Check("pure", _pure),
    Check("seed_matters", _seed_matters),
    Check("from_config", _from_config),
]
