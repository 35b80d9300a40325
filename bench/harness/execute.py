"""What one run does: build its solver, then the mode's work (simulate a day, or solve a set)."""

from __future__ import annotations

import contextlib
from pathlib import Path

from omegaconf import DictConfig, OmegaConf

from gigbench.errors import ConfigError
from gigbench.harness.outputs import RunOutput
from gigbench.solvers import Solver, get_solver

MODES = ("simulate", "static")


def build_solver(cfg: DictConfig) -> Solver:
    """The solver named by ``cfg.solver`` with its parameters."""
    params = {k: v for k, v in OmegaConf.to_container(cfg.solver).items() if k != "name"}
    return get_solver(cfg.solver.name, **params)


def _mode(cfg: DictConfig):
    """The module that runs ``cfg.mode.name`` (imported only when that mode is used)."""
    if cfg.mode.name == "simulate":
        from gigbench.harness import simulation

        return simulation
    if cfg.mode.name == "static":
        from gigbench.harness import static

        return static
    raise ConfigError(f"mode.name: expected one of {MODES}, got {cfg.mode.name!r}")


def check(cfg: DictConfig) -> None:
    """Build every part a run needs from ``cfg`` without running anything."""
    _mode(cfg).check(cfg, build_solver(cfg))


def execute(cfg: DictConfig, solver: Solver, run_dir: Path) -> RunOutput:
    """Run ``cfg`` with ``solver``; the tables it returns are saved beside the row."""
    return _mode(cfg).execute(cfg, solver, run_dir)


def preload(cfg: DictConfig) -> None:
    """Import and warm up what a run of ``cfg`` needs, so that every run forked from this
    process starts warm: a built-in solver prepares the mode's small problem of the kind it
    solves (``prepare`` imports what it solves such problems with, and numba compiles or loads
    from its cache the kernels of the modules it imports: once per job, not once per run), so
    that every timed solve is a compiled one (gigbench.solvers._jit). A plugin's code runs only
    in the isolated child: a solver that hangs or crashes must not take the job."""
    from gigbench.solvers import _jit

    _mode(cfg).preload()
    solver = build_solver(cfg)
    if type(solver).__module__.startswith("gigbench.solvers."):
        tiny = _mode(cfg).warm_problem()
        with contextlib.suppress(Exception):  # a failure shows in the run itself, recorded
            solver.prepare(tiny)
            if not _mode(cfg).small(cfg) and _jit.uses_kernels():
                _jit.load()
                solver.prepare(tiny)
