"""The harness's only contact with the simulation (``gigbench.sim``): check a config before runs
start, then generate the instance, build the spec (the ``auto`` choices resolved) and
simulate."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from omegaconf import DictConfig, OmegaConf

from gigbench.errors import ConfigError
from gigbench.harness.outputs import RunOutput
from gigbench.solvers import Problem, Solver


def check(cfg: DictConfig, solver: Solver) -> None:
    """Every simulation-side check of ``cfg`` (no instance generated)."""
    from gigbench.instances.generators import generator_params
    from gigbench.sim import check_config
    from gigbench.solvers.registry import checked

    params = OmegaConf.to_container(cfg.instance)
    checked(
        generator_params(cfg.instance.name)(
            **{k: v for k, v in params.items() if k not in ("name", "seed")}
        )
    )
    check_config(cfg, solver)
    if not 0 <= cfg.instance.seed < 2**63:
        raise ConfigError(
            f"instance.seed: expected an integer in [0, 2**63), got {cfg.instance.seed}"
        )


def execute(cfg: DictConfig, solver: Solver, run_dir: Path) -> RunOutput:
    """Generate (or replay) the instance and simulate it with ``solver``."""
    from gigbench.instances import generate
    from gigbench.sim import build_spec, simulate

    config: dict[str, Any] = OmegaConf.to_container(cfg.instance, resolve=True)
    params = {k: v for k, v in config.items() if k not in ("name", "seed")}
    scenario = generate(cfg.instance.name, params, seed=cfg.instance.seed)
    spec = build_spec(cfg, solver, scenario.meta)
    record_to = run_dir / "recording" if cfg.mode.record else None
    result = simulate(scenario, solver, spec, record_to=record_to)
    resolved = OmegaConf.to_container(cfg, resolve=True)
    resolved |= spec.describe()  # what ran: market, pricing and reposition "auto" resolved
    return RunOutput(
        result.metrics,
        result.tables,
        resolved=resolved,
        replay=_replay_counts(scenario.meta.get("replay")),
    )


def preload() -> None:
    """Import the simulation, so that runs forked from this process start warm."""
    import gigbench.instances
    import gigbench.sim  # noqa: F401


def warm_problem() -> Problem:
    """The problem the harness prepares the solver on ahead of a run: a batch in miniature."""
    from gigbench.sim.match import miniature

    return miniature()


SMALL_DAY = 1_000  # requests: a day this small solves in less time than numba takes to load


def small(cfg: DictConfig) -> bool:
    """Whether the run is a generated day of at most :data:`SMALL_DAY` requests."""
    n_tasks = cfg.instance.get("n_tasks")
    return isinstance(n_tasks, int) and n_tasks <= SMALL_DAY


def _replay_counts(report: dict[str, Any] | None) -> dict[str, int] | None:
    """Input, kept and dropped rows of a replayed trip log (None for generated instances)."""
    if not report:
        return None
    dropped = report.get("dropped") or {}
    return {
        "input_rows": int(report.get("input_rows", 0)),
        "kept_rows": int(report.get("kept_rows", 0)),
        "dropped_rows": int(sum(dropped.values())),
    }
