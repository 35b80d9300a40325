"""Modes of a run (``mode.name``): the calls the harness makes on each, and their registry.

A mode is a small class, built once per run from the run's config and solver. Building it is
checking it: every key the mode reads is checked then, before anything runs, and a mistake
raises the documented error that says what was expected (:mod:`gigbench.harness.failures`).
The harness then prepares the solver on :meth:`Mode.warm_problem` in the job's process (so
that every run forked from there starts with the solver's imports done) and calls
:meth:`Mode.execute` in the run's isolated child. The built-in modes are listed by name in
:data:`MODES` and imported when chosen.
"""

from __future__ import annotations

import importlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from gigbench.errors import ConfigError

if TYPE_CHECKING:
    from omegaconf import DictConfig

    from gigbench.solvers import Problem, Solver

MODES = {
    "simulate": "gigbench.harness.simulation:Simulate",
    "static": "gigbench.harness.static:Static",
}


@dataclass
class RunOutput:
    """What a finished run hands back, whatever its mode: its metrics, its tables (name ->
    ``pyarrow.Table``, saved beside the row), the config that really ran (``auto`` choices
    resolved) and a replayed instance's input, kept and dropped rows."""

    metrics: dict[str, float]
    tables: dict[str, Any] = field(default_factory=dict)
    resolved: dict[str, Any] | None = None
    replay: dict[str, int] | None = None


class Mode(Protocol):
    """What the harness calls on a mode. Its constructor takes ``(cfg, solver)``, checks
    every key of ``cfg`` the mode reads and builds what does not depend on the run's data."""

    solver: Solver

    def warm_problem(self) -> Problem:
        """A problem of the kind the run solves, in miniature: the solver prepares it in the
        job's process, ahead of the runs."""
        ...

    def execute(self, run_dir: Path) -> RunOutput:
        """The run itself, in its isolated child; ``run_dir`` holds its files."""
        ...


def mode_class(name: str) -> type[Mode]:
    """The class of the mode ``name`` (its module imported only now)."""
    if name not in MODES:
        raise ConfigError(f"mode.name: expected one of {sorted(MODES)}, got {name!r}")
    module, _, attribute = MODES[name].partition(":")
    return getattr(importlib.import_module(module), attribute)


def build_solver(cfg: DictConfig) -> Solver:
    """The solver named by ``cfg.solver`` with its parameters."""
    from omegaconf import OmegaConf

    from gigbench.solvers import get_solver

    params = {k: v for k, v in OmegaConf.to_container(cfg.solver).items() if k != "name"}
    return get_solver(cfg.solver.name, **params)


_BUILT: dict[str, Mode] = {}  # canonical config -> its mode, built in this process


def build(cfg: DictConfig) -> Mode:
    """The run's mode with its solver, built from ``cfg`` and checked once per process: the
    plan checks a single run's config before Hydra starts, and its job then runs what the plan
    built."""
    from omegaconf import OmegaConf

    key = json.dumps(OmegaConf.to_container(cfg, resolve=True), sort_keys=True, default=str)
    if key not in _BUILT:
        _BUILT[key] = mode_class(cfg.mode.name)(cfg, build_solver(cfg))
    return _BUILT[key]
